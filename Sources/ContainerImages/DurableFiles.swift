import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Crash-safe file operations: a reader (or a restart) sees the old or the complete new state, never a mix.
enum DurableFiles {
    /// Replaces the file at `path` with `data`: written to a temporary sibling, flushed, renamed over `path`,
    /// and the directory flushed.
    static func write(_ data: Data, to path: String, mode: mode_t = 0o644) throws {
        let temporary = path + ".tmp-\(UUID().uuidString)"
        do {
            let file = try OpenFile(path: temporary, flags: O_WRONLY | O_CREAT | O_EXCL, mode: mode)
            try data.withUnsafeBytes { try file.write($0) }
            try file.sync()
            try rename(temporary, to: path)
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Renames `source` to `destination` (same file system) and flushes the destination's directory.
    static func rename(_ source: String, to destination: String) throws {
        guard posixRename(source, destination) == 0 else { throw ImageStoreError.posix("rename \(source) to", destination) }
        syncDirectory((destination as NSString).deletingLastPathComponent)
    }

    /// Flushes a directory's entries (a rename or unlink in it) to disk. Best effort.
    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// Creates `path` and its missing parents.
    static func makeDirectory(_ path: String, mode: Int = 0o755) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: mode])
        } catch {
            throw ImageStoreError.fileSystem(operation: "mkdir", path: path, reason: "\(error)")
        }
    }

    /// Removes a file or a whole tree; a missing path is fine. Directories a layer made read-only are made
    /// writable first (root needs no such help; other users do).
    static func remove(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR, geteuid() != 0 { makeWritable(path) }
        do { try FileManager.default.removeItem(atPath: path) } catch {
            throw ImageStoreError.fileSystem(operation: "remove", path: path, reason: "\(error)")
        }
    }

    /// Gives the owner full access to `directory` and every directory below it.
    private static func makeWritable(_ directory: String) {
        chmod(directory, 0o700)
        for name in names(in: directory) {
            var info = stat()
            let child = "\(directory)/\(name)"
            if lstat(child, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { makeWritable(child) }
        }
    }

    /// The names in a directory; empty when it does not exist.
    static func names(in path: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    }
}
