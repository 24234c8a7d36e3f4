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
        while flock(file.descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw ImageStoreError.posix("flock", path) }
        }
        defer { flock(file.descriptor, LOCK_UN) }
        return try body()
    }
}
