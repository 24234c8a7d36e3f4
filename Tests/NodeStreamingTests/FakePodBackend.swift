import ContainerRuntime
import Foundation
import NodeStreaming
import Synchronization

/// A node agent stand-in: logs are CRI files under a temporary directory (`<dir>/<container>/<n>.log`,
/// restart count 1 so that `0.log` is the previous instance); exec runs the command on the host; port-forward
/// connects to the port on 127.0.0.1 (pod `slow` is not running).
final class FakePodBackend: PodStreamBackend {
    let directory: String
    private let exited = Mutex(false)

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-streams-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    var layout: PodLogLayout { PodLogLayout(directory: directory) }

    /// Marks the current instance as exited: a followed log ends once drained.
    func exit() { exited.withLock { $0 = true } }

    /// Appends `lines` (content, seconds since the epoch, stream) to the current or previous log.
    func append(_ container: String, previous: Bool = false, _ lines: [(String, Int, CRILogFormat.Stream)]) throws {
        let path = previous ? layout.previousLogPath(container: container, restartCount: 1)! : layout.logPath(container: container, restartCount: 1)
        try FileManager.default.createDirectory(atPath: layout.containerDirectory(container), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let text = lines.map { "\(CRILogFormat.timestamp(seconds: $0.1, nanoseconds: 0)) \($0.2.rawValue) F \($0.0)\n" }.joined()
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    func containerLog(namespace: String, pod: String, container: String,
                      previous: Bool) async throws(PodStreamError) -> ContainerLogSource {
        if container == "waiting" { throw .waitingToStart(container: container, pod: pod, reason: "ContainerCreating") }
        if previous {
            guard let path = layout.previousLogPath(container: container, restartCount: 1),
                  FileManager.default.fileExists(atPath: path) else {
                throw .previousNotFound(container: container, pod: pod)
            }
            return ContainerLogSource(path: path, hasExited: { true })
        }
        return ContainerLogSource(path: layout.logPath(container: container, restartCount: 1),
                                  hasExited: { self.exited.withLock { $0 } })
    }

    func startExec(namespace: String, pod: String, container: String, command: [String],
                   stdin: Bool, tty: Bool) async throws(PodStreamError) -> any ExecSession {
        if container == "waiting" { throw .notRunning(container: container) }
        do {
            return try ExecProcess.start(command, stdin: stdin)
        } catch {
            throw .internalError("\(error)")
        }
    }

    func dialPort(namespace: String, pod: String, port: UInt16) async throws(PodStreamError) -> PodPortConnection {
        if pod == "slow" { throw .podNotRunning(namespace: namespace, pod: pod) }
        do {
            return try await PodPortConnection.connect(host: "127.0.0.1", port: Int(port))
        } catch {
            throw .portForwardFailed(port: port, pod: pod, uid: "fake-uid", reason: "\(error)")
        }
    }
}
