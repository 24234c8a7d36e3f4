import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes whole files so that readers (and a restart after a crash) see either the old content or
/// the complete new content, never a partial file.
enum AtomicFileWriter {
    /// Replaces the file at `url` with `contents`, leaving it with permission bits `mode`.
    ///
    /// The data goes to a fresh temporary file in the same directory, created with `mode` from the
    /// start (so a key is never readable by others, even briefly), is flushed to disk, and is then
    /// renamed over `url`. Missing parent directories are created with mode 0700 when
    /// `createParentDirectories` is true. On failure the temporary file is removed and `url` is untouched.
    static func replaceContents(
        of url: URL,
        with contents: Data,
        mode: mode_t,
        createParentDirectories: Bool = false
    ) throws {
        let directory = url.deletingLastPathComponent()
        if createParentDirectories {
            try createDirectory(directory, mode: 0o700)
        }
        let temporaryPath = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(UUID().uuidString)").path
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw posixError("create", temporaryPath) }
        var renamed = false
        defer {
            if !renamed { unlink(temporaryPath) }
        }
        do {
            defer { close(fd) }
            // The umask may have cleared bits of `mode`; set it exactly.
            guard fchmod(fd, mode) == 0 else { throw posixError("chmod", temporaryPath) }
            try contents.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
                guard let base = buffer.baseAddress else { return }
                var offset = 0
                while offset < buffer.count {
                    let written = write(fd, base + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw posixError("write", temporaryPath)
                    }
                    offset += written
                }
            }
            guard fsync(fd) == 0 else { throw posixError("fsync", temporaryPath) }
        }
        guard rename(temporaryPath, url.path) == 0 else { throw posixError("rename", url.path) }
        renamed = true
        syncDirectory(directory)
    }

    /// Creates `directory` and its missing parents with permission bits `mode`; an existing
    /// directory is left as it is.
    static func createDirectory(_ directory: URL, mode: Int) throws {
        do {
            try FileManager.default.createDirectory(
                at: directory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: mode]
            )
        } catch {
            throw PKIError.fileSystem(operation: "mkdir", path: directory.path, reason: "\(error)")
        }
    }

    /// Flushes the directory entry so the rename itself survives a crash. Best effort.
    private static func syncDirectory(_ directory: URL) {
        let fd = open(directory.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// The error for a failed POSIX call, read from `errno`; call it right after the failure.
    private static func posixError(_ operation: String, _ path: String) -> PKIError {
        PKIError.fileSystem(operation: operation, path: path, reason: String(cString: strerror(errno)))
    }
}
