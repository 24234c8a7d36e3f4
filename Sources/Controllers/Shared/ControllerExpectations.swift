import Foundation

/// The creates and deletes a controller has made but not yet seen in its informer (Kubernetes'
/// `UIDTrackingControllerExpectations`), so that a sync working from a cache that lags behind its own writes
/// never creates or deletes the same replicas twice.
///
/// Contracts:
/// - `expectCreations`/`expectDeletions` replace the key's expectations (a controller sets them only when the
///   previous ones are satisfied); deletions are tracked by pod key, so one pod's deletion counts once however
///   often it is observed.
/// - `satisfied` is true when nothing is pending, when nothing was ever expected, or when the expectations are
///   older than `timeout` (a lost watch event must not wedge the owner forever).
/// - `forget` drops the key (the owner is gone).
public struct ControllerExpectations<Key: Hashable & Sendable>: Sendable {
    private struct Pending: Sendable {
        var creations: Int
        var deletions: Set<String>
        var since: Date
    }

    /// Kubernetes' `ExpectationsTimeout`.
    public static var defaultTimeout: TimeInterval { 5 * 60 }

    private var pending: [Key: Pending] = [:]
    public let timeout: TimeInterval

    public init(timeout: TimeInterval = Self.defaultTimeout) {
        self.timeout = timeout
    }

    public mutating func expectCreations(_ key: Key, count: Int, now: Date) {
        pending[key] = Pending(creations: count, deletions: [], since: now)
    }

    public mutating func expectDeletions(_ key: Key, podKeys: [String], now: Date) {
        pending[key] = Pending(creations: 0, deletions: Set(podKeys), since: now)
    }

    /// Expects `creations` creates and the deletion of the pods keyed `podKeys` at once (a DaemonSet's sync makes
    /// both); replaces the key's expectations as the two above do.
    public mutating func expect(_ key: Key, creations: Int, deletions podKeys: [String], now: Date) {
        pending[key] = Pending(creations: creations, deletions: Set(podKeys), since: now)
    }

    /// A pod the owner created was seen (or its create failed or never happened).
    public mutating func creationObserved(_ key: Key) {
        guard var entry = pending[key] else { return }
        entry.creations = max(0, entry.creations - 1)
        pending[key] = entry
    }

    /// A pod the owner deleted was seen gone or going (or its delete failed).
    public mutating func deletionObserved(_ key: Key, podKey: String) {
        pending[key]?.deletions.remove(podKey)
    }

    public func satisfied(_ key: Key, now: Date) -> Bool {
        guard let entry = pending[key] else { return true }
        if entry.creations <= 0 && entry.deletions.isEmpty { return true }
        return now.timeIntervalSince(entry.since) > timeout
    }

    public mutating func forget(_ key: Key) {
        pending.removeValue(forKey: key)
    }
}
