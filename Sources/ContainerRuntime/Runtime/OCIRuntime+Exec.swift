extension OCIRuntime {
    /// Starts `command` inside the running container `id` (`runc exec`: its namespaces, cgroup, user and
    /// environment) for `kubectl exec`. Without `tty` its standard streams are pipes (with `stdin` false it
    /// reads /dev/null). With `tty` it runs on a new terminal (`--tty`, the master side received through
    /// `--console-socket`, the runtime detached): one output stream, input and resizing through the terminal.
    public func startExec(id: String, command: [String], stdin: Bool, tty: Bool = false) async throws(RuntimeError) -> ExecProcess {
        guard tty else {
            return try ExecProcess.start(binary.command(["--root", stateDirectory, "exec", id] + command), stdin: stdin)
        }
        return try await ExecProcess.startOnTerminal(in: bundlePath(id)) { socket, pidFile in
            binary.command(["--root", stateDirectory, "exec", "--detach", "--tty", "--console-socket", socket,
                            "--pid-file", pidFile, id] + command)
        }
    }
}
