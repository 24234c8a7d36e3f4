extension OCIRuntime {
    /// Starts `command` inside the running container `id` (`runc exec`: its namespaces, cgroup, user and
    /// environment) with its standard streams as pipes: `kubectl exec` without a terminal. With `stdin`
    /// false the command reads /dev/null.
    public func startExec(id: String, command: [String], stdin: Bool) throws(RuntimeError) -> ExecProcess {
        try ExecProcess.start(binary.command(["--root", stateDirectory, "exec", id] + command), stdin: stdin)
    }
}
