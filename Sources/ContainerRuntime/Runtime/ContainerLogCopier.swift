import Foundation
import Glibc

/// Copies a container's stdout and stderr pipes into its log file in the CRI format, on a thread of its own,
/// until both pipes reach end of file (every process holding them has exited). The file is rotated by size
/// (`LogRotation`).
final class ContainerLogCopier: Sendable {
    /// Completed once both streams are drained and the file is closed.
    let finished = Completion<Void>()

    /// Starts copying; takes ownership of `stdout`, `stderr` (read ends) and `log` (the open log file).
    static func start(stdout: Int32, stderr: Int32, log: LogRotation) -> ContainerLogCopier {
        let copier = ContainerLogCopier()
        Thread.detachNewThread {
            var log = log
            copy(streams: [(stdout, CRILogFormat(stream: .stdout)), (stderr, CRILogFormat(stream: .stderr))],
                 to: &log)
            log.close()
            copier.finished.complete(())
        }
        return copier
    }

    /// A copier with nothing to copy (an adopted container, whose pipes ended with the previous agent).
    static func none() -> ContainerLogCopier {
        let copier = ContainerLogCopier()
        copier.finished.complete(())
        return copier
    }

    /// Watches a log shim process (`ContainerLogShim`): finished once it has exited.
    static func watching(shim pid: Int32) -> ContainerLogCopier {
        let copier = ContainerLogCopier()
        Thread.detachNewThread {
            _ = Subprocess.waitBlocking(for: pid)
            copier.finished.complete(())
        }
        return copier
    }

    static func copy(streams: [(fd: Int32, format: CRILogFormat)], to log: inout LogRotation) {
        var formats = streams.map(\.format)
        FilePipe.readUntilEnd(streams.map(\.fd)) { index, chunk in
            let now = CRILogFormat.now()
            log.write(chunk.map { formats[index].append($0, timestamp: now) } ?? formats[index].finish(timestamp: now))
        }
    }
}
