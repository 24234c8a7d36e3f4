import Foundation
import Glibc

/// The few filesystem calls volumes need, throwing `VolumeError.io` with the path and `strerror`.
enum FileSystem {
    /// What a path is, following symlinks (`stat`).
    enum FileType: Equatable {
        case directory, file, socket, characterDevice, blockDevice, other
    }

    /// The type of `path` after following symlinks, nil when nothing (or a dangling link) is there.
    static func type(of path: String) -> FileType? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .file
        case S_IFSOCK: return .socket
        case S_IFCHR: return .characterDevice
        case S_IFBLK: return .blockDevice
        default: return .other
        }
    }

    /// Whether anything, a dangling symlink included, is at `path` (`lstat`).
    static func entryExists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// `mkdir -p` with `mode` for the directories it creates; an existing directory is left as it is.
    static func makeDirectory(_ path: String, mode: Int = 0o755) throws {
        try attempt(path) {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: mode])
        }
    }

    /// Writes `data` to a new file at `path` and sets its permission bits to `mode` (not masked by the umask).
    static func writeFile(_ path: String, data: Data, mode: Int32) throws {
        try attempt(path) {
            try data.write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.posixPermissions: Int(mode)], ofItemAtPath: path)
        }
    }

    /// Creates an empty file with mode 0644 unless something is already there.
    static func createEmptyFile(_ path: String) throws {
        let fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw error(path) }
        close(fd)
    }

    /// Creates a symlink at `path` holding `target` (relative targets stay relative).
    static func symlink(_ path: String, to target: String) throws {
        guard Glibc.symlink(target, path) == 0 else { throw error(path) }
    }

    /// The target of the symlink at `path`, nil when `path` is not a symlink.
    static func readLink(_ path: String) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: path)
    }

    /// Atomically replaces `destination` with `source` (`rename(2)`).
    static func rename(_ source: String, to destination: String) throws {
        guard Glibc.rename(source, destination) == 0 else { throw error(destination) }
    }

    /// Removes `path` recursively (a symlink itself, not its target); nothing there is not an error.
    static func remove(_ path: String) throws {
        guard entryExists(path) else { return }
        try attempt(path) { try FileManager.default.removeItem(atPath: path) }
    }

    /// The names in directory `path`.
    static func contents(of path: String) throws -> [String] {
        try attempt(path) { try FileManager.default.contentsOfDirectory(atPath: path) }
    }

    /// `path` with every symlink resolved (`realpath(3)`).
    static func resolved(_ path: String) throws -> String {
        guard let real = realpath(path, nil) else { throw error(path) }
        defer { free(real) }
        return String(cString: real)
    }

    private static func error(_ path: String) -> VolumeError {
        .io(path: path, message: String(cString: strerror(errno)))
    }

    private static func attempt<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as VolumeError { throw error } catch {
            throw VolumeError.io(path: path, message: "\(error)")
        }
    }
}
