import Glibc

/// A read position in the live file of a log that follows it across rotations: it keeps the file it opened
/// and, once `path` names a new file (the old one was renamed away), drains the old one, reads any files rotated
/// after it (`RotatedLogFiles`), and moves to the new live file. Lines are lost only if the old file was deleted
/// or another rotation happens while moving. Not thread-safe; owned by one reader.
struct LogFileCursor: ~Copyable {
    let path: String
    private var fd: Int32 = -1
    private var file: (device: UInt, inode: UInt) = (0, 0)

    /// A cursor at the start of the file `path` names now (opened at once, if it exists).
    init(path: String) {
        self.path = path
        openLive()
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Everything appended since the last call (from the start on the first), including the rest of a file
    /// rotated away meanwhile and what its successor holds so far.
    mutating func readAvailable() -> [UInt8] {
        guard fd >= 0 || openLive() else { return [] }
        var bytes = Self.readToEnd(fd)
        var status = stat()
        if stat(path, &status) == 0, Self.identity(status) != file {
            bytes += Self.readToEnd(fd)
            close(fd)
            fd = -1
            bytes += rotatedAfterMine()
            bytes += readAvailable()
        }
        return bytes
    }

    /// The contents of the files rotated after the one this cursor had open, oldest first.
    private func rotatedAfterMine() -> [UInt8] {
        let rotated = RotatedLogFiles.list(path)
        var status = stat()
        guard let mine = rotated.firstIndex(where: { stat($0.path, &status) == 0 && Self.identity(status) == file })
        else { return [] }
        return rotated[(mine + 1)...].flatMap { successor -> [UInt8] in
            let fd = open(successor.path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return [] }
            defer { close(fd) }
            return Self.readToEnd(fd)
        }
    }

    private static func identity(_ status: stat) -> (device: UInt, inode: UInt) {
        (UInt(status.st_dev), UInt(status.st_ino))
    }

    @discardableResult
    private mutating func openLive() -> Bool {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        var status = stat()
        fstat(fd, &status)
        file = Self.identity(status)
        return true
    }

    private static func readToEnd(_ fd: Int32) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return bytes }
            bytes += chunk[..<count]
        }
    }
}
