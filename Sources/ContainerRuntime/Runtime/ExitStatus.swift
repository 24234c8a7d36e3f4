/// How a process ended, reported as Kubernetes reports container exits.
public struct ExitStatus: Hashable, Sendable, CustomStringConvertible {
    /// The exit code, or 128 + the signal number for a process killed by a signal (137 for SIGKILL).
    public var code: Int32
    /// The signal that killed the process, if one did.
    public var signal: Int32?
    /// The kernel's OOM killer killed a process of the container (its cgroup's `oom_kill` counter rose).
    public var oomKilled: Bool

    public init(code: Int32, signal: Int32? = nil, oomKilled: Bool = false) {
        self.code = code
        self.signal = signal
        self.oomKilled = oomKilled
    }

    /// The status of a process whose end was seen but whose exit code could not be collected (an adopted
    /// container: not our child).
    public static let unknown = ExitStatus(code: 255)

    /// Decodes a `waitpid` status word.
    public init(waitStatus status: Int32) {
        let signal = status & 0x7f
        if signal == 0 {
            self.init(code: (status >> 8) & 0xff)
        } else {
            self.init(code: 128 + signal, signal: signal)
        }
    }

    /// Kubernetes' `reason` of a terminated container: OOMKilled, Completed or Error.
    public var reason: String {
        oomKilled ? "OOMKilled" : code == 0 ? "Completed" : "Error"
    }

    public var description: String {
        "exit \(code)" + (signal.map { " (signal \($0))" } ?? "") + (oomKilled ? " OOMKilled" : "")
    }
}
