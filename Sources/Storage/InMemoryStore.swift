import Foundation

/// A `KeyValueStore` held in memory, for tests and for running without persistence.
///
/// It keeps the full revision history of every key (so listing at an old revision works) until `compact`
/// discards it, exactly as `SQLiteStore` does. All state is guarded by one lock; a write is applied and its
/// event published while holding it, so events reach watchers in revision order. Nothing is durable.
public final class InMemoryStore: KeyValueStore {
    private let state = Locked(InMemoryState())
    private let hub: WatchHub

    public init() {
        hub = WatchHub(lastPublished: InMemoryState.initialRevision)
    }

    /// A store whose watches replay history `watchHistoryPageSize` events at a time (for tests).
    package init(watchHistoryPageSize: Int) {
        hub = WatchHub(lastPublished: InMemoryState.initialRevision, historyPageSize: watchHistoryPageSize)
    }

    /// The number of registered watchers (for tests).
    package var watcherCount: Int { hub.subscriberCount }

    deinit {
        hub.close()
    }

    /// Closes the store: every watch stream finishes and later calls throw `StoreError.unavailable`.
    public func close() {
        state.withLock { $0.closed = true }
        hub.close()
    }

    public func currentRevision() async throws -> Revision {
        try read { $0.revision }
    }

    public func compactedRevision() async throws -> Revision {
        try read { $0.compacted }
    }

    public func get(_ key: String) async throws -> KeyValue? {
        try read { $0.current(key) }
    }

    public func list(prefix: String, revision: Revision?, limit: Int?, after: String?) async throws -> ListResult {
        try read { try $0.list(prefix: prefix, revision: revision, limit: limit, after: after) }
    }

    @discardableResult
    public func create(_ key: String, value: Data) async throws -> KeyValue {
        try write { state, revision in
            if state.current(key) != nil { throw StoreError.alreadyExists(key: key) }
            let kv = KeyValue(key: key, value: value, createRevision: revision, modRevision: revision)
            return WatchEvent(kind: .created, kv: kv, previous: nil)
        }.kv
    }

    @discardableResult
    public func update(_ key: String, value: Data, expectedRevision: Revision?) async throws -> KeyValue {
        try write { state, revision in
            let old = try state.existing(key, expectedRevision: expectedRevision)
            let kv = KeyValue(key: key, value: value, createRevision: old.createRevision, modRevision: revision)
            return WatchEvent(kind: .updated, kv: kv, previous: old)
        }.kv
    }

    @discardableResult
    public func delete(_ key: String, expectedRevision: Revision?) async throws -> KeyValue {
        try write { state, revision in
            let old = try state.existing(key, expectedRevision: expectedRevision)
            let kv = KeyValue(key: key, value: old.value, createRevision: old.createRevision, modRevision: revision)
            return WatchEvent(kind: .deleted, kv: kv, previous: old)
        }.kv
    }

    public func watch(prefix: String, after: Revision) -> AsyncThrowingStream<WatchEvent, Error> {
        hub.watch(prefix: prefix, after: after) { [state] prefix, after, through, limit in
            try state.withLock { state in
                guard !state.closed else { throw StoreError.unavailable("store closed") }
                return try state.events(prefix: prefix, after: after, through: through, limit: limit)
            }
        }
    }

    public func compact(upTo revision: Revision) async throws {
        try read { try $0.compact(upTo: revision) }
    }

    private func read<T>(_ body: (inout InMemoryState) throws -> T) throws -> T {
        try state.withLock { state in
            guard !state.closed else { throw StoreError.unavailable("store closed") }
            return try body(&state)
        }
    }

    /// Applies one write at the next revision and publishes its event, all under the lock.
    private func write(_ makeEvent: (InMemoryState, Revision) throws -> WatchEvent) throws -> WatchEvent {
        try state.withLock { state in
            guard !state.closed else { throw StoreError.unavailable("store closed") }
            let event = try makeEvent(state, state.revision + 1)
            state.apply(event)
            hub.publish([event])
            return event
        }
    }
}
