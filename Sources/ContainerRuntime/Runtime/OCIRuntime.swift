import Foundation
import Glibc
import Logging
import Synchronization

/// Drives an OCI runtime (runc or crun) for containers whose state lives under our own directories: runtime
/// state under `stateDirectory` (`--root`), one bundle per container under `bundleDirectory`.
///
/// This process becomes a child subreaper, so a container's init is re-parented to it when `create` returns and
/// its real exit status is collected with `waitpid` (the runtimes' `state` does not report exit codes).
/// The container's stdout and stderr go through pipes into its log file in the CRI format.
/// Methods may be called concurrently for different containers.
public final class OCIRuntime: Sendable {
    public let binary: RuntimeBinary
    public let stateDirectory: String
    public let bundleDirectory: String
    public let cgroups: CgroupLayout
    /// The command of a log shim (`ContainerLogShim`, e.g. `[skiff, "container-log"]`), run per container so
    /// that its output outlives this process; nil copies logs on a thread of this process.
    public let logShim: [String]?
    private let logger: Logger
    private let containers = Mutex<[String: Tracked]>([:])

    /// What the driver keeps about a container it created.
    private struct Tracked: Sendable {
        var pid: Int32
        var cgroupsPath: String?
        var exit: Completion<ExitStatus>
        var logs: ContainerLogCopier
    }

    /// Prepares the directories and makes this process a child subreaper.
    public init(binary: RuntimeBinary, stateDirectory: String, bundleDirectory: String, cgroups: CgroupLayout,
                logShim: [String]? = nil, logger: Logger = Logger(label: "skiff.runtime")) throws(RuntimeError) {
        self.binary = binary
        self.logShim = logShim
        self.stateDirectory = stateDirectory
        self.bundleDirectory = bundleDirectory
        self.cgroups = cgroups
        self.logger = logger
        for directory in [stateDirectory, bundleDirectory] {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw .system("cannot create \(directory): \(error)")
            }
        }
        guard Subreaper.enable() else { throw .system("prctl(PR_SET_CHILD_SUBREAPER) failed") }
    }

    /// The bundle directory of container `id`.
    public func bundlePath(_ id: String) -> String { bundleDirectory + "/" + id }

    /// Writes the bundle (`config.json`) and runs `create`: the container exists with its init waiting to
    /// exec. Its stdout and stderr are appended to `logPath` in the CRI format, rotated by `logRotation`.
    /// Returns the init's pid.
    @discardableResult
    public func create(id: String, spec: OCISpec, logPath: String,
                       logRotation: LogRotation.Policy = LogRotation.Policy()) async throws(RuntimeError) -> Int32 {
        let bundle = bundlePath(id)
        try writeBundle(bundle, spec: spec)
        let stdout: FilePipe, stderr: FilePipe
        do throws(Subprocess.Failure) {
            (stdout, stderr) = (try FilePipe.make(), try FilePipe.make())
        } catch {
            throw .system(error.description)
        }
        // The log reader first (it owns the read ends from here on), so that a log that cannot be written
        // stops the create before the runtime runs.
        let logs: ContainerLogCopier
        do throws(RuntimeError) {
            logs = try startLogs(stdout: stdout.read, stderr: stderr.read, logPath: logPath, rotation: logRotation)
        } catch {
            close(stdout.write)
            close(stderr.write)
            throw error
        }
        let arguments = binary.command(
            globalArguments(bundle) + ["create", "--bundle", bundle, "--pid-file", bundle + "/init.pid", id],
            creating: true)
        let runtimePID: Int32
        do throws(Subprocess.Failure) {
            runtimePID = try Subprocess.spawn(arguments, stdout: stdout.write, stderr: stderr.write)
        } catch {
            close(stdout.write)
            close(stderr.write)
            throw .system(error.description)
        }
        close(stdout.write)
        close(stderr.write)
        let status = await Subprocess.wait(for: runtimePID).map(ExitStatus.init(waitStatus:))
        guard let status, status.code == 0 else {
            throw .commandFailed(command: "\(binary.kind) create", code: status?.code ?? -1,
                                 message: runtimeErrors(bundle))
        }
        guard let pidText = try? String(contentsOfFile: bundle + "/init.pid", encoding: .utf8),
              let pid = Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw .system("\(binary.kind) create wrote no pid file for \(id)")
        }
        let exit = Completion<ExitStatus>()
        let cgroupsPath = spec.linux.cgroupsPath
        containers.withLock { $0[id] = Tracked(pid: pid, cgroupsPath: cgroupsPath, exit: exit, logs: logs) }
        watchExit(pid: pid, cgroupsPath: cgroupsPath, into: exit)
        logger.debug("created container", metadata: ["id": "\(id)", "pid": "\(pid)"])
        return pid
    }

    /// Takes over a running container that a previous run of the agent created (found with `list()`), so that
    /// `wait`, `stop` and `delete` work on it. Its init is not our child: its end is seen through `/proc`
    /// (`ProcessWatch`) and its exit status is unknown, reported as `ExitStatus.unknown` (255); the OOM verdict
    /// is still read from its cgroup. Its output no longer reaches the log (the pipes ended with the old agent).
    /// Returns false when the process is already gone.
    public func adopt(id: String, pid: Int32, cgroupsPath: String?) -> Bool {
        guard let started = ProcessWatch.startTime(pid: pid) else { return false }
        let exit = Completion<ExitStatus>()
        containers.withLock {
            $0[id] = Tracked(pid: pid, cgroupsPath: cgroupsPath, exit: exit, logs: ContainerLogCopier.none())
        }
        let cgroups = self.cgroups
        let oomBefore = cgroupsPath.flatMap { cgroups.oomKillCount(cgroupsPath: $0) } ?? 0
        Thread.detachNewThread {
            ProcessWatch.waitBlocking(pid: pid, startTime: started)
            var status = ExitStatus.unknown
            if let cgroupsPath, let oomKills = cgroups.oomKillCount(cgroupsPath: cgroupsPath) {
                status.oomKilled = oomKills > oomBefore
            }
            exit.complete(status)
        }
        logger.debug("adopted container", metadata: ["id": "\(id)", "pid": "\(pid)"])
        return true
    }

    /// Starts a created container's process.
    public func start(id: String) async throws(RuntimeError) {
        _ = try await runtime(["start", id])
    }

    /// `create` then `start`; returns the init's pid.
    @discardableResult
    public func run(id: String, spec: OCISpec, logPath: String) async throws(RuntimeError) -> Int32 {
        let pid = try await create(id: id, spec: spec, logPath: logPath)
        try await start(id: id)
        return pid
    }

    /// The runtime's view of the container.
    public func state(id: String) async throws(RuntimeError) -> ContainerState {
        let output = try await runtime(["state", id])
        do {
            return try ContainerState.parse(output)
        } catch {
            throw .system("cannot parse \(binary.kind) state of \(id): \(error)")
        }
    }

    /// Every container in our state directory (including ones a previous run of the agent left).
    public func list() async throws(RuntimeError) -> [ContainerState] {
        let output = try await runtime(["list", "--format", "json"])
        guard !output.isEmpty, let states = try? JSONDecoder().decode([ContainerState]?.self, from: output) else {
            return []
        }
        return states
    }

    /// Runs `command` inside the running container (its namespaces, cgroup, user and environment, as
    /// `runc exec` does) and waits for it: exec probes and `kubectl exec` without a terminal.
    public func exec(id: String, command: [String]) async throws(RuntimeError)
        -> (status: ExitStatus, stdout: Data, stderr: Data) {
        do throws(Subprocess.Failure) {
            return try await Subprocess.run(binary.command(["--root", stateDirectory, "exec", id] + command))
        } catch {
            throw .system(error.description)
        }
    }

    /// Sends `signal` to the container's init.
    public func kill(id: String, signal: Int32) async throws(RuntimeError) {
        _ = try await runtime(["kill", id, String(signal)])
    }

    /// The container's exit status once its init has exited and its output is in the log; `nil` if the
    /// waiting task is cancelled first. Throws for containers this driver did not create.
    public func wait(id: String) async throws(RuntimeError) -> ExitStatus? {
        let tracked = try self.tracked(id)
        guard let status = await tracked.exit.wait() else { return nil }
        _ = await tracked.logs.finished.wait(timeout: .seconds(2))
        return status
    }

    /// Stops the container as the kubelet does: SIGTERM, then SIGKILL if it is still running after `grace`.
    /// Returns its exit status (143 for a process that died of SIGTERM, 137 after SIGKILL).
    public func stop(id: String, grace: Duration) async throws(RuntimeError) -> ExitStatus {
        let tracked = try self.tracked(id)
        if tracked.exit.value == nil {
            try await killIfRunning(id: id, signal: SIGTERM, tracked: tracked)
            if await tracked.exit.wait(timeout: grace) == nil {
                logger.debug("grace period over, killing", metadata: ["id": "\(id)"])
                try await killIfRunning(id: id, signal: SIGKILL, tracked: tracked)
            }
        }
        guard let status = try await wait(id: id) else { throw .system("cancelled while stopping \(id)") }
        return status
    }

    /// Deletes the container (killing it if it still runs), its bundle and its cgroup leftovers.
    public func delete(id: String) async throws(RuntimeError) {
        let tracked = containers.withLock { $0[id] }
        do throws(RuntimeError) {
            _ = try await runtime(["delete", "--force", id])
        } catch {
            // Gone already (or never created): only the leftovers remain to be removed.
            if (try? await state(id: id)) != nil { throw error }
        }
        if let tracked {
            _ = await tracked.exit.wait(timeout: .seconds(5))
            _ = await tracked.logs.finished.wait(timeout: .seconds(2))
            if let path = tracked.cgroupsPath { cgroups.removeLeftovers(cgroupsPath: path) }
        }
        containers.withLock { _ = $0.removeValue(forKey: id) }
        try? FileManager.default.removeItem(atPath: bundlePath(id))
    }

    // MARK: - Internals

    /// Starts copying the container's output into `logPath`: through a log shim process when one is
    /// configured, else on a thread of this process. Takes ownership of the two read ends.
    private func startLogs(stdout: Int32, stderr: Int32, logPath: String,
                           rotation: LogRotation.Policy) throws(RuntimeError) -> ContainerLogCopier {
        defer { if logShim != nil { close(stdout); close(stderr) } }
        if let logShim {
            let command = logShim + ["--path", logPath, "--max-size", String(rotation.maxSize),
                                     "--max-files", String(rotation.maxFiles)]
            do throws(Subprocess.Failure) {
                let pid = try Subprocess.spawn(command, stdin: stdout, stdout: stderr, newSession: true)
                return ContainerLogCopier.watching(shim: pid)
            } catch {
                throw .system(error.description)
            }
        }
        guard let logFile = LogRotation(path: logPath, policy: rotation) else {
            close(stdout)
            close(stderr)
            throw .system("cannot open \(logPath): \(String(cString: strerror(errno)))")
        }
        return ContainerLogCopier.start(stdout: stdout, stderr: stderr, log: logFile)
    }

    private func tracked(_ id: String) throws(RuntimeError) -> Tracked {
        guard let tracked = containers.withLock({ $0[id] }) else { throw .unknownContainer(id) }
        return tracked
    }

    /// Sends a signal unless the container has exited meanwhile (then the runtime's refusal is expected).
    private func killIfRunning(id: String, signal: Int32, tracked: Tracked) async throws(RuntimeError) {
        do throws(RuntimeError) {
            try await kill(id: id, signal: signal)
        } catch {
            if tracked.exit.value == nil { throw error }
        }
    }

    /// Collects the init's exit status on a thread of its own, with the OOM verdict read from its cgroup
    /// (which exists until the container is deleted).
    private func watchExit(pid: Int32, cgroupsPath: String?, into exit: Completion<ExitStatus>) {
        let cgroups = self.cgroups
        let oomBefore = cgroupsPath.flatMap { cgroups.oomKillCount(cgroupsPath: $0) } ?? 0
        Thread.detachNewThread {
            var status = Subprocess.waitBlocking(for: pid).map(ExitStatus.init(waitStatus:)) ?? ExitStatus(code: -1)
            if let cgroupsPath, let oomKills = cgroups.oomKillCount(cgroupsPath: cgroupsPath) {
                status.oomKilled = oomKills > oomBefore
            }
            exit.complete(status)
        }
    }

    private func globalArguments(_ bundle: String) -> [String] {
        ["--root", stateDirectory, "--log", bundle + "/runtime.log", "--log-format", "json"]
    }

    /// Runs `runtime <arguments>` and returns its standard output; throws with its error output on failure.
    private func runtime(_ arguments: [String]) async throws(RuntimeError) -> Data {
        let command = binary.command(["--root", stateDirectory] + arguments)
        let result: (status: ExitStatus, stdout: Data, stderr: Data)
        do throws(Subprocess.Failure) {
            result = try await Subprocess.run(command)
        } catch {
            throw .system(error.description)
        }
        guard result.status.code == 0 else {
            throw .commandFailed(command: "\(binary.kind) \(arguments[0])", code: result.status.code,
                                 message: String(decoding: result.stderr, as: UTF8.self)
                                    .trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return result.stdout
    }

    private func writeBundle(_ bundle: String, spec: OCISpec) throws(RuntimeError) {
        do {
            try FileManager.default.createDirectory(atPath: bundle, withIntermediateDirectories: true)
            try spec.configJSON().write(to: URL(fileURLWithPath: bundle + "/config.json"), options: .atomic)
        } catch {
            throw .system("cannot write bundle \(bundle): \(error)")
        }
    }

    /// The error messages of the runtime's JSON log in the bundle.
    private func runtimeErrors(_ bundle: String) -> String {
        let text = (try? String(contentsOfFile: bundle + "/runtime.log", encoding: .utf8)) ?? ""
        let messages = text.split(separator: "\n").compactMap { line -> String? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["level"] as? String == "error" else { return nil }
            return object["msg"] as? String
        }
        return messages.isEmpty ? text : messages.joined(separator: "; ")
    }
}

extension OCISpec {
    /// The bundle's `config.json` bytes.
    public func configJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
