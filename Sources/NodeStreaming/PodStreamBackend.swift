import APIModel
import ContainerRuntime

/// What the node's streaming server needs from the node agent: where a container's log is, a command
/// started in a running container, and connections to a pod's ports. The agent implements it; its errors are answered to the
/// API server (and so to kubectl) with their message.
public protocol PodStreamBackend: Sendable {
    /// The log of `container` of pod `namespace/pod`: of its current instance, or with `previous` of the
    /// one before (`PodLogLayout.previousLogPath`). Throws `PodStreamError`s worded as the kubelet's
    /// (`.waitingToStart`, `.previousNotFound`, `.podNotFound`, …).
    func containerLog(namespace: String, pod: String, container: String,
                      previous: Bool) async throws(PodStreamError) -> ContainerLogSource

    /// Starts `command` in the running `container` of pod `namespace/pod`, with a standard input only if
    /// `stdin`, and a terminal if `tty` (then stdout and stderr are one stream). Throws
    /// `PodStreamError.containerNotFound`/`.notRunning`/… for what cannot run.
    func startExec(namespace: String, pod: String, container: String, command: [String],
                   stdin: Bool, tty: Bool) async throws(PodStreamError) -> any ExecSession

    /// A TCP connection to `port` of pod `namespace/pod` (its IP, or the node's loopback for a pod on the
    /// host network; `PodPortConnection.connect`). Throws `.podNotFound`, `.podNotRunning`, or
    /// `.portForwardFailed` with the dialer's error.
    func dialPort(namespace: String, pod: String, port: UInt16) async throws(PodStreamError) -> PodPortConnection
}

extension PodStreamBackend {
    /// Starts the command of an exec request for `path`'s container (the kubelet's 400 without one).
    func startExec(_ path: StreamingPath, query: PodExecQuery) async throws(PodStreamError) -> any ExecSession {
        guard !query.command.isEmpty else { throw .badRequest("you must specify at least 1 command") }
        return try await startExec(namespace: path.namespace, pod: path.pod, container: path.container,
                                   command: query.command, stdin: query.stdin, tty: query.tty)
    }
}

/// Where a container instance's log is, and whether that instance is done writing to it.
public struct ContainerLogSource: Sendable {
    /// The live log file (`PodLogLayout.logPath`); rotated files beside it are read first.
    public var path: String
    /// Whether the instance writing `path` has exited (always true for a previous instance); `follow` reads
    /// until it has and the file is drained. Called every poll interval, so it must be cheap.
    public var hasExited: @Sendable () -> Bool

    public init(path: String, hasExited: @escaping @Sendable () -> Bool) {
        self.path = path
        self.hasExited = hasExited
    }
}

/// A command running in a container, as the exec endpoint drives it. `ExecProcess` is one.
public protocol ExecSession: Sendable {
    /// Output chunks as they are produced (with a terminal, all as `.stdout`); ends when the command's
    /// output is closed.
    var output: AsyncStream<ExecProcess.Output> { get }
    /// Writes to the command's standard input; false once it is closed.
    func write(_ bytes: [UInt8]) async -> Bool
    /// Closes the command's standard input (the client's close signal).
    func closeStdin()
    /// Sets the terminal's size (no effect without a terminal).
    func resize(width: UInt16, height: UInt16)
    /// The exit status once the command has exited (nil if the waiting task is cancelled).
    func wait() async -> ExitStatus?
    /// Ends the command (the client went away).
    func kill(_ signal: Int32)
}

extension ExecProcess: ExecSession {}
