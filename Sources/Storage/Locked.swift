import Foundation

/// A value guarded by a lock, shared by the stores and the watch fan-out.
///
/// `Synchronization.Mutex` would do the same, but it needs macOS 15 and the package supports macOS 14,
/// so this wraps `NSLock`. Never call out to code that may take the same lock from inside `withLock`.
package final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    package init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with exclusive access to the value.
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
