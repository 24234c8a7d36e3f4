import GRPCCore
import Storage

extension EtcdStore {
    /// A watch over one gRPC Watch stream of its own, reopened when it breaks (see `EtcdWatch`).
    public func watch(prefix: String, after: Revision) -> AsyncThrowingStream<WatchEvent, Error> {
        let (stream, continuation) = AsyncThrowingStream<WatchEvent, Error>.makeStream()
        guard !isClosed else {
            continuation.finish(throwing: StoreError.unavailable("store closed"))
            return stream
        }
        let keys = EtcdKeyRange(prefix: prefix)
        watches.add(EtcdWatch(store: self, keys: keys, after: after, continuation: continuation))
        return stream
    }

    /// How many watches are running (for tests).
    public var watcherCount: Int { watches.count }
}

/// One watch: a Watch stream from the revision after the last one delivered, with `prev_kv` and progress
/// notifications. When the stream breaks (etcd restarted, connection lost) it is reopened after a pause
/// that doubles up to `watchReconnectMaxPause` (back to the first pause once a stream was established),
/// on the next endpoint, from where the `EtcdWatchCursor` is. It ends only when etcd no longer has the
/// history it needs (`.compacted`), the consumer stops, or the store closes.
struct EtcdWatch: Sendable {
    let store: EtcdStore
    let keys: EtcdKeyRange
    let continuation: AsyncThrowingStream<WatchEvent, Error>.Continuation
    private let cursor: Locked<EtcdWatchCursor>

    /// The revision up to which this watch delivered everything (or was told there was nothing).
    var delivered: Revision { cursor.withLock { $0.delivered } }

    init(store: EtcdStore, keys: EtcdKeyRange, after: Revision,
         continuation: AsyncThrowingStream<WatchEvent, Error>.Continuation) {
        self.store = store
        self.keys = keys
        self.continuation = continuation
        cursor = Locked(EtcdWatchCursor(after: after))
    }

    func run() async {
        let firstPause = store.configuration.watchReconnectPause
        var pause = firstPause
        var endpoint = store.connections.preferredIndex
        while !Task.isCancelled, !store.isClosed {
            let established = Locked(false)
            do {
                if let failure = try await stream(endpoint: endpoint, established: established) {
                    continuation.finish(throwing: failure)
                    return
                }
            } catch {
                // The stream broke: reopen it below.
            }
            if Task.isCancelled || store.isClosed { return }
            if established.withLock({ $0 }) { pause = firstPause }
            store.connections.endpointFailed(endpoint)
            endpoint = store.connections.preferredIndex
            do { try await Task.sleep(for: pause) } catch { return }
            pause = min(pause * 2, store.configuration.watchReconnectMaxPause)
        }
    }

    /// Runs one Watch stream until it ends; returns the error that ends the watch, or nil when the stream
    /// ended or broke and should be reopened (a thrown error also means that).
    private func stream(endpoint: Int, established: Locked<Bool>) async throws -> StoreError? {
        let request = Etcdserverpb_WatchRequest.with {
            $0.createRequest = .with {
                $0.key = keys.start
                $0.rangeEnd = keys.end
                $0.startRevision = cursor.withLock { $0.startRevision }
                $0.prevKv = true
                $0.progressNotify = true
            }
        }
        let client = Etcdserverpb_Watch.Client(wrapping: store.connections.client(at: endpoint))
        return try await client.watch(options: EtcdConnections.callOptions) { writer in
            // Half-closing the request stream is fine: etcd keeps a watch stream open until it is cancelled.
            try await writer.write(request)
        } onResponse: { response in
            for try await message in response.messages {
                switch cursor.withLock({ $0.on(message) }) {
                case .created:
                    established.withLock { $0 = true }
                    if let failure = try await historyFailure() { return failure }
                case .events(let events):
                    for event in events { continuation.yield(event) }
                case .compacted(let etcdCompaction):
                    return .compacted(requested: cursor.withLock { $0.delivered },
                                      compactedRevision: EtcdStore.storeCompaction(ofEtcdCompaction: etcdCompaction))
                case .canceled:
                    return nil
                }
            }
            return nil
        }
    }

    /// `.compacted` when the store's compacted revision is above the start of the watch. etcd only refuses
    /// watches below its own compaction, one revision lower (see `EtcdStore`), so the store checks: etcd can
    /// read the revision before the start exactly when the start is at or above the store's compaction.
    private func historyFailure() async throws -> StoreError? {
        let after = cursor.withLock { $0.delivered }
        do {
            if try await store.isReadable(max(after, 1)) { return nil }
        } catch StoreError.futureRevision {
            return nil
        }
        return .compacted(requested: after, compactedRevision: try await store.compactedRevision())
    }
}

/// The running watches of a store and their tasks, so that `close()` can finish them all.
final class EtcdWatchRegistry: Sendable {
    private struct Entry: Sendable {
        let watch: EtcdWatch
        let task: Task<Void, Never>
    }

    private struct State: Sendable {
        var entries: [UInt64: Entry] = [:]
        var nextID: UInt64 = 0
        var closed = false
    }

    private let state = Locked(State())

    var count: Int { state.withLock { $0.entries.count } }

    /// How far each running watch has delivered, in no particular order (for tests).
    var deliveredRevisions: [Revision] { state.withLock { $0.entries.values.map(\.watch) }.map(\.delivered) }

    /// Runs `watch` until its consumer stops or `close()`; after `close()` its stream is finished at once.
    func add(_ watch: EtcdWatch) {
        let continuation = watch.continuation
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        // Set before the task exists: a stream that ends (even at once) removes and cancels its entry, which
        // is in place by then because the task is created under the lock that `remove` takes.
        continuation.onTermination = { [weak self] _ in
            self?.remove(id)?.task.cancel()
        }
        let added = state.withLock { state in
            guard !state.closed else { return false }
            state.entries[id] = Entry(watch: watch, task: Task { await watch.run() })
            return true
        }
        if !added { continuation.finish(throwing: StoreError.unavailable("store closed")) }
    }

    /// Finishes every stream normally and cancels its watch. Idempotent.
    func close() {
        let entries = state.withLock { state in
            state.closed = true
            defer { state.entries.removeAll() }
            return Array(state.entries.values)
        }
        for entry in entries {
            entry.watch.continuation.finish()
            entry.task.cancel()
        }
    }

    private func remove(_ id: UInt64) -> Entry? {
        state.withLock { $0.entries.removeValue(forKey: id) }
    }
}
