import Glibc

/// The body of a container's log shim: a small process of its own (`skiff container-log`) that holds the read
/// ends of the container's stdout (its fd 0) and stderr (its fd 1) pipes and writes them to the container's
/// CRI log file, rotated by size, until both end. Because it is not the agent, a container keeps its output
/// (and never meets a closed pipe) when the agent is killed and restarted.
public enum ContainerLogShim {
    /// Copies until both streams end; returns the process's exit code (1 when the log cannot be opened).
    public static func run(path: String, policy: LogRotation.Policy = LogRotation.Policy()) -> Int32 {
        signal(SIGINT, SIG_IGN)
        signal(SIGHUP, SIG_IGN)
        guard var log = LogRotation(path: path, policy: policy) else { return 1 }
        ContainerLogCopier.copy(streams: [(0, CRILogFormat(stream: .stdout)), (1, CRILogFormat(stream: .stderr))],
                                to: &log)
        log.close()
        return 0
    }
}
