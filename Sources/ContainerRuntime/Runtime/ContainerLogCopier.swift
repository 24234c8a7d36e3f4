import Foundation
import Glibc

/// Copies a container's stdout and stderr pipes into its log file in the CRI format, on a thread of its own,
/// until both pipes reach end of file (every process holding them has exited).
final class ContainerLogCopier: Sendable {
    /// Completed once both streams are drained and the file is closed.
    let finished = Completion<Void>()

    /// Starts copying; takes ownership of `stdout`, `stderr` (read ends) and `logFile` (opened for appending).
    static func start(stdout: Int32, stderr: Int32, logFile: Int32) -> ContainerLogCopier {
        let copier = ContainerLogCopier()
        Thread.detachNewThread {
            copy(streams: [(stdout, CRILogFormat(stream: .stdout)), (stderr, CRILogFormat(stream: .stderr))],
                 to: logFile)
            close(logFile)
            copier.finished.complete(())
        }
        return copier
    }

    /// Opens (creating, appending) a container's log file, close-on-exec.
    static func openLogFile(_ path: String) -> Int32 {
        open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
    }

    private static func copy(streams: [(fd: Int32, format: CRILogFormat)], to logFile: Int32) {
        var formats = streams.map(\.format)
        FilePipe.readUntilEnd(streams.map(\.fd)) { index, chunk in
            let now = CRILogFormat.now()
            writeAll(chunk.map { formats[index].append($0, timestamp: now) } ?? formats[index].finish(timestamp: now),
                     to: logFile)
        }
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}
