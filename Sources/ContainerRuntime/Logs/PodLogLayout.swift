/// Where the node keeps container logs, as the kubelet lays them out: one directory per pod,
/// `<root>/<namespace>_<pod name>_<pod uid>/`, holding one directory per container with one live file per
/// run, `<container>/<restartCount>.log` (its rotated files beside it, see `RotatedLogFiles`).
/// `kubectl logs --previous` reads the file of the run before the current one.
public struct PodLogLayout: Sendable, Equatable {
    /// The pod's log directory.
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// The layout under `root` (the kubelet's `/var/log/pods`) for a pod.
    public init(root: String, namespace: String, name: String, uid: String) {
        directory = "\(root)/\(namespace)_\(name)_\(uid)"
    }

    /// The directory of a container's log files.
    public func containerDirectory(_ container: String) -> String { "\(directory)/\(container)" }

    /// The live log file of run `restartCount` (0 for the first) of `container`.
    public func logPath(container: String, restartCount: Int) -> String {
        "\(containerDirectory(container))/\(restartCount).log"
    }

    /// The log of the run before `restartCount` (for `previous`), or `nil` for the first run.
    public func previousLogPath(container: String, restartCount: Int) -> String? {
        restartCount > 0 ? logPath(container: container, restartCount: restartCount - 1) : nil
    }
}
