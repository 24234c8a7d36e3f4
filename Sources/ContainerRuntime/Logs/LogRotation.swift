import Glibc

/// The writer side of a container's log file: appends whole CRI records and rotates the file once it reaches
/// `Policy.maxSize`, keeping at most `Policy.maxFiles` files in all (the live one plus `maxFiles - 1` rotated,
/// named as `RotatedLogFiles` says; the oldest are deleted). Rotation happens only between writes, so a record
/// is never split across files. Used from one thread at a time (the log copier's).
public struct LogRotation: Sendable {
    /// When to rotate and how many files to keep: the kubelet's `containerLogMaxSize` (10 Mi) and
    /// `containerLogMaxFiles` (5, counting the live file).
    public struct Policy: Sendable, Equatable {
        public var maxSize: Int
        public var maxFiles: Int

        public init(maxSize: Int = 10 * 1024 * 1024, maxFiles: Int = 5) {
            self.maxSize = maxSize
            self.maxFiles = max(1, maxFiles)
        }
    }

    let path: String
    let policy: Policy
    private var fd: Int32
    private var size: Int

    /// Opens (creating, appending) the live file at `path`; `nil` with `errno` set if it cannot be opened.
    init?(path: String, policy: Policy) {
        self.path = path
        self.policy = policy
        fd = Self.open(path)
        guard fd >= 0 else { return nil }
        var status = stat()
        size = fstat(fd, &status) == 0 ? Int(status.st_size) : 0
    }

    /// Appends `bytes` (whole records), then rotates if the file has reached `maxSize`. Write errors drop
    /// the rest of `bytes`, as a full disk would.
    mutating func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty, fd >= 0 else { return }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { break }
            offset += written
        }
        size += offset
        if size >= policy.maxSize { rotate() }
    }

    /// Renames the live file to the next rotated name, starts a new live file and deletes the oldest rotated
    /// files beyond `maxFiles - 1`.
    mutating func rotate() {
        Glibc.close(fd)
        rename(path, RotatedLogFiles.nextRotatedPath(path))
        for old in RotatedLogFiles.list(path).dropLast(policy.maxFiles - 1) { unlink(old.path) }
        fd = Self.open(path)
        size = 0
    }

    /// Closes the live file.
    func close() {
        if fd >= 0 { Glibc.close(fd) }
    }

    private static func open(_ path: String) -> Int32 {
        Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
    }
}
