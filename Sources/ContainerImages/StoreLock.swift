#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An exclusive `flock` on `<store>/lock`, held while the store changes: imports, removals and garbage
/// collection of one process or many never interleave. Readers do not lock (the index is replaced atomically).
enum StoreLock {
    /// Runs `body` holding the lock, waiting for it if another import or removal holds it.
    static func withLock<T>(_ path: String, _ body: () throws -> T) throws -> T {
        let file = try OpenFile(path: path, flags: O_RDWR | O_CREAT, mode: 0o600)
        while !(try acquire(file, blocking: true)) {}
        defer { flock(file.descriptor, LOCK_UN) }
        return try body()
    }

    /// Runs `body` holding the lock (a pull: network transfers under the lock), polling every 50 ms while
    /// another change holds it rather than blocking a thread.
    static func withLock<T>(_ path: String, _ body: () async throws -> T) async throws -> T {
        let file = try OpenFile(path: path, flags: O_RDWR | O_CREAT, mode: 0o600)
        while !(try acquire(file, blocking: false)) { try await Task.sleep(for: .milliseconds(50)) }
        defer { flock(file.descriptor, LOCK_UN) }
        return try await body()
    }

    /// One `flock` attempt: true when the lock is held, false when it is busy (non-blocking) or interrupted.
    private static func acquire(_ file: OpenFile, blocking: Bool) throws -> Bool {
        if flock(file.descriptor, LOCK_EX | (blocking ? 0 : LOCK_NB)) == 0 { return true }
        guard errno == EINTR || errno == EWOULDBLOCK else { throw ImageStoreError.posix("flock", file.path) }
        return false
    }
}
