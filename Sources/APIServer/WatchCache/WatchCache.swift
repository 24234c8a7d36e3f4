import APIModel
import Foundation
import Logging
import NIOCore
import Storage
import Synchronization

/// The API server's view of the store: every current object, already encoded, plus a window of recent
/// events, fed by ONE store watch. Lists and watches are served from here, so N watchers cost one store watch
/// and each event is encoded once for all of them.
///
/// Consistency: `waitUntilFresh()` waits until the cache has applied every write the store had acknowledged
/// when it was called, so reads after a write see it (Kubernetes' consistent reads from cache).
/// A watcher that falls more than `watcherBacklog` events behind is closed; it can resume from the last
/// resourceVersion it saw, as long as that is still within the event window.
public final class WatchCache: Sendable {
    /// Events a watcher may have queued before it is closed as too slow.
    public static let watcherBacklog = 10_000
    /// Events kept for watches that resume from an older resourceVersion: at most this many…
    public let historyCapacity: Int
    /// …and at most about this many bytes of them (encodings plus `eventOverhead` each). A watch that resumes
    /// from before the window gets 410 Gone and relists, as from Kubernetes' own bounded watch cache.
    public let historyByteBudget: Int
    /// What an event of the history holds besides its object's encoding (summary, key, bookkeeping), roughly.
    static let eventOverhead = 2_048

    private let store: any KeyValueStore
    private let resources: [String: any ServedResource]
    private let logger: Logger
    private let state = Mutex(State())

    struct Bucket {
        var objects: [String: CachedObject] = [:]
        /// The keys of `objects`, sorted, for prefix ranges and pagination.
        var sortedKeys: [String] = []
    }

    final class Watcher: Sendable {
        let filter: ObjectFilter
        /// Only events after this revision are delivered (a watch may start ahead of the cache).
        let after: Revision
        let continuation: AsyncStream<CacheEvent>.Continuation
        init(filter: ObjectFilter, after: Revision, continuation: AsyncStream<CacheEvent>.Continuation) {
            self.filter = filter
            self.after = after
            self.continuation = continuation
        }
    }

    struct State {
        var ready = false
        /// The revision of the last applied event (or of the initial list).
        var revision: Revision = 0
        /// Every event with revision > `historyFloor` is in `history`.
        var historyFloor: Revision = 0
        var history = CircularBuffer<CacheEvent>(initialCapacity: 1_024)
        /// The bytes `history` counts against `historyByteBudget`.
        var historyBytes = 0
        var buckets: [String: Bucket] = [:]
        var watchers: [UInt64: Watcher] = [:]
        var nextWatcherID: UInt64 = 0
        var waiters: [(Revision, CheckedContinuation<Void, Never>)] = []
    }

    public init(store: any KeyValueStore, resources: [any ServedResource], historyCapacity: Int = 50_000,
                historyByteBudget: Int = 64 << 20, logger: Logger = Logger(label: "skiff.watchcache")) {
        self.historyByteBudget = historyByteBudget
        self.store = store
        var byPrefix: [String: any ServedResource] = [:]
        for resource in resources { byPrefix[resource.info.keyPrefix] = resource }
        self.resources = byPrefix
        self.historyCapacity = historyCapacity
        self.logger = logger
    }

    // MARK: Feeding

    /// Loads every object and follows the store until cancelled. Relists if the store watch fails.
    public func run() async throws {
        while !Task.isCancelled {
            do {
                let revision = try await loadAll()
                for try await event in store.watch(prefix: "/registry/", after: revision) {
                    apply(event)
                }
                if Task.isCancelled { break }
                logger.warning("store watch ended; relisting")
            } catch is CancellationError {
                break
            } catch {
                if Task.isCancelled { break }
                logger.error("store watch failed: \(error); relisting")
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
        closeAllWatchers()
    }

    /// Lists the whole registry into fresh buckets; returns the revision of the listing.
    private func loadAll() async throws -> Revision {
        var buckets: [String: Bucket] = [:]
        var after: String? = nil
        var revision: Revision? = nil
        repeat {
            let page = try await store.list(prefix: "/registry/", revision: revision, limit: 5_000, after: after)
            revision = page.revision
            for kv in page.items {
                guard let (bucket, object) = cachedObject(kv) else { continue }
                buckets[bucket, default: Bucket()].objects[kv.key] = object
            }
            after = page.hasMore ? page.items.last?.key : nil
        } while after != nil
        for key in buckets.keys { buckets[key]!.sortedKeys = buckets[key]!.objects.keys.sorted() }
        let listed = revision ?? 0
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            // A relist replaces the state; watchers cannot be told what they missed, so they are closed
            // and resume (or relist) themselves.
            for watcher in state.watchers.values { watcher.continuation.finish() }
            state.watchers = [:]
            state.buckets = buckets
            state.revision = listed
            state.historyFloor = listed
            state.history.removeAll(keepingCapacity: true)
            state.historyBytes = 0
            state.ready = true
            return state.takeWaiters(upTo: listed)
        }
        for waiter in waiters { waiter.resume() }
        return listed
    }

    private func bucket(of key: String) -> String? {
        // Keys are /registry/<plural>/… or /registry/<group>/<plural>/…
        let parts = key.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: true)
        guard parts.count >= 2 else { return nil }
        let one = "/registry/\(parts[1])/"
        if resources[one] != nil { return one }
        if parts.count >= 3 {
            let two = "/registry/\(parts[1])/\(parts[2])/"
            if resources[two] != nil { return two }
        }
        return nil
    }

    /// The object as the cache keeps it: its encoding stamped with its revision, and its summary. With
    /// `previous` (the cached version it replaces), parts of the summary that did not change share storage
    /// with it, so that the versions in the history cost little more than their encodings.
    private func cachedObject(_ kv: KeyValue, replacing previous: CachedObject? = nil) -> (String, CachedObject)? {
        guard let bucket = bucket(of: kv.key), let resource = resources[bucket] else { return nil }
        let data = ResourceVersionSplice.splice(kv.value, revision: kv.modRevision)
        guard var summary = try? resource.summarize(data) else {
            logger.error("cannot decode stored object \(kv.key)")
            return nil
        }
        guard let previous else { return (bucket, CachedObject(key: kv.key, revision: kv.modRevision, data: data, summary: summary)) }
        summary.share(with: previous.summary)
        return (bucket, CachedObject(key: previous.key, revision: kv.modRevision, data: data, summary: summary))
    }

    /// The cached object at `key`, if any.
    private func current(_ key: String) -> CachedObject? {
        guard let bucket = bucket(of: key) else { return nil }
        return state.withLock { $0.buckets[bucket]?.objects[key] }
    }

    /// Applies one store event: updates the bucket, records history, notifies watchers and waiters.
    ///
    /// The version an update or deletion replaces is normally the cached one, which is reused as the event's
    /// previous object (no second decoding, and the history shares it with the event before).
    func apply(_ event: WatchEvent) {
        let previous: CachedObject?
        if let prev = event.previous {
            if let cached = current(prev.key), cached.revision == prev.modRevision {
                previous = cached
            } else {
                previous = cachedObject(prev)?.1
            }
        } else {
            previous = nil
        }
        let cacheEvent: CacheEvent?
        switch event.kind {
        case .created, .updated:
            if let (bucket, object) = cachedObject(event.kv, replacing: previous) {
                cacheEvent = CacheEvent(kind: event.kind == .created ? .added : .modified, object: object,
                                        previous: previous, bucket: bucket)
            } else {
                cacheEvent = nil
            }
        case .deleted:
            // The deleted object's last state (the value `previous` holds), stamped with the revision of the deletion.
            if let previous, let bucket = bucket(of: event.kv.key) {
                let object = CachedObject(key: previous.key, revision: event.revision,
                                          data: ResourceVersionSplice.splice(event.kv.value, revision: event.revision),
                                          summary: previous.summary)
                cacheEvent = CacheEvent(kind: .deleted, object: object, previous: previous, bucket: bucket)
            } else {
                let last = KeyValue(key: event.kv.key, value: event.kv.value, createRevision: event.kv.createRevision,
                                    modRevision: event.revision)
                if let (bucket, object) = cachedObject(last) {
                    cacheEvent = CacheEvent(kind: .deleted, object: object, previous: nil, bucket: bucket)
                } else {
                    cacheEvent = nil
                }
            }
        }
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.revision = max(state.revision, event.revision)
            if let cacheEvent { state.record(cacheEvent, capacity: historyCapacity, byteBudget: historyByteBudget) }
            return state.takeWaiters(upTo: state.revision)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Ends every open watch (their clients resume elsewhere or later); waiters are released.
    func closeAllWatchers() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            for watcher in state.watchers.values { watcher.continuation.finish() }
            state.watchers = [:]
            return state.takeWaiters(upTo: .max)
        }
        for waiter in waiters { waiter.resume() }
    }

    // MARK: Reading

    /// The revision of the last applied event.
    public var revision: Revision { state.withLock { $0.revision } }

    /// Whether the initial listing has been loaded.
    public var isReady: Bool { state.withLock { $0.ready } }

    /// Waits until the cache holds every write the store has acknowledged.
    public func waitUntilFresh() async throws {
        let target = try await store.currentRevision()
        await waitUntil(revision: target)
    }

    /// Waits until the cache has applied `revision`.
    public func waitUntil(revision: Revision) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.ready && state.revision >= revision { return true }
                state.waiters.append((revision, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// The object under `key`, if cached.
    public func get(_ key: String, bucket: String) -> CachedObject? {
        state.withLock { $0.buckets[bucket]?.objects[key] }
    }

    /// Objects matching `filter`, in key order, starting after `after`, at most `limit` (nil: all).
    /// Returns the page, the cache revision and whether more matching objects follow.
    public func list(_ filter: ObjectFilter, limit: Int?, after: String?) -> (items: [CachedObject], revision: Revision, hasMore: Bool) {
        state.withLock { state in
            guard let bucket = state.buckets[filter.bucket] else { return ([], state.revision, false) }
            var index = bucket.sortedKeys.lowerBound(of: after.map { $0 + "\u{0}" } ?? filter.prefix)
            var items: [CachedObject] = []
            while index < bucket.sortedKeys.count {
                let key = bucket.sortedKeys[index]
                guard key.hasPrefix(filter.prefix) else { break }
                index += 1
                guard let object = bucket.objects[key], filter.matches(object) else { continue }
                if let limit, items.count == limit { return (items, state.revision, true) }
                items.append(object)
            }
            return (items, state.revision, false)
        }
    }

    /// Starts a watch. With `after` nil, the current matching objects are returned as the initial state
    /// and the stream carries every later change; with a revision, the stream first replays the events
    /// after it. Throws `APIError.expired` when that revision is older than the event window.
    public func watch(_ filter: ObjectFilter, after: Revision?) throws(APIError)
        -> (initial: [CachedObject], revision: Revision, events: AsyncStream<CacheEvent>, cancel: @Sendable () -> Void) {
        let result = state.withLock { state -> Result<(Int, [CachedObject], Revision, AsyncStream<CacheEvent>, UInt64), APIError> in
            var initial: [CachedObject] = []
            var replay: [CacheEvent] = []
            if let after, after < state.revision {
                if after < state.historyFloor {
                    return .failure(.expired("too old resource version: \(after) (\(state.historyFloor + 1))"))
                }
                for event in state.historyEvents(after: after) where filter.covers(bucket: event.bucket) {
                    replay.append(event)
                }
            } else if after == nil {
                let buckets = filter.bucket.isEmpty ? state.buckets.keys.sorted() : [filter.bucket]
                for name in buckets {
                    guard let bucket = state.buckets[name] else { continue }
                    var index = bucket.sortedKeys.lowerBound(of: filter.prefix)
                    while index < bucket.sortedKeys.count, bucket.sortedKeys[index].hasPrefix(filter.prefix) {
                        if let object = bucket.objects[bucket.sortedKeys[index]], filter.matches(object) {
                            initial.append(object)
                        }
                        index += 1
                    }
                }
            }
            let (stream, continuation) = AsyncStream<CacheEvent>.makeStream(
                bufferingPolicy: .bufferingOldest(replay.count + Self.watcherBacklog))
            let watcher = Watcher(filter: filter, after: max(after ?? state.revision, 0), continuation: continuation)
            for event in replay { _ = state.deliver(event, to: watcher) }
            let id = state.nextWatcherID
            state.nextWatcherID += 1
            state.watchers[id] = watcher
            return .success((replay.count, initial, state.revision, stream, id))
        }
        switch result {
        case .failure(let error):
            throw error
        case .success(let (_, initial, revision, stream, id)):
            let cancel: @Sendable () -> Void = { [weak self] in
                guard let self else { return }
                let watcher = self.state.withLock { $0.watchers.removeValue(forKey: id) }
                watcher?.continuation.finish()
            }
            return (initial, revision, stream, cancel)
        }
    }

    /// Tells the cache the store compacted up to `revision`: watches from older revisions now expire.
    public func noteCompacted(_ revision: Revision) {
        state.withLock { state in state.historyFloor = max(state.historyFloor, min(revision - 1, state.revision)) }
    }

    /// The number of open watchers (for metrics and tests).
    public var watcherCount: Int { state.withLock { $0.watchers.count } }
}

extension WatchCache.State {
    mutating func takeWaiters(upTo revision: Revision) -> [CheckedContinuation<Void, Never>] {
        guard ready else { return [] }
        var ready: [CheckedContinuation<Void, Never>] = []
        waiters.removeAll { (target, continuation) in
            if target <= revision {
                ready.append(continuation)
                return true
            }
            return false
        }
        return ready
    }

    static func historyCost(_ event: CacheEvent) -> Int {
        event.object.data.count + WatchCache.eventOverhead
    }

    /// Applies an event to its bucket, appends it to the history window and hands it to watchers.
    mutating func record(_ event: CacheEvent, capacity: Int, byteBudget: Int) {
        var bucket = buckets[event.bucket] ?? WatchCache.Bucket()
        buckets[event.bucket] = nil  // avoid a copy while mutating
        let key = event.object.key
        switch event.kind {
        case .added, .modified:
            if bucket.objects.updateValue(event.object, forKey: key) == nil {
                bucket.sortedKeys.insert(key, at: bucket.sortedKeys.lowerBound(of: key))
            }
        case .deleted:
            if bucket.objects.removeValue(forKey: key) != nil {
                let index = bucket.sortedKeys.lowerBound(of: key)
                if index < bucket.sortedKeys.count, bucket.sortedKeys[index] == key { bucket.sortedKeys.remove(at: index) }
            }
        }
        buckets[event.bucket] = bucket

        history.append(event)
        historyBytes += Self.historyCost(event)
        while history.count > capacity || (historyBytes > byteBudget && history.count > 1) {
            let dropped = history.removeFirst()
            historyFloor = dropped.revision
            historyBytes -= Self.historyCost(dropped)
        }

        var slow: [UInt64] = []
        for (id, watcher) in watchers where watcher.filter.covers(bucket: event.bucket) {
            if !deliver(event, to: watcher) { slow.append(id) }
        }
        for id in slow {
            watchers.removeValue(forKey: id)?.continuation.finish()
        }
    }

    /// Sends `event` to `watcher` as that watcher sees it (an object entering its selection is ADDED, one
    /// leaving it is DELETED). Returns false if the watcher's queue is full.
    func deliver(_ event: CacheEvent, to watcher: WatchCache.Watcher) -> Bool {
        guard event.revision > watcher.after else { return true }
        let filter = watcher.filter
        let now = filter.matches(event.object)
        let before = event.previous.map(filter.matches) ?? false
        var seen = event
        switch event.kind {
        case .added:
            guard now else { return true }
        case .modified:
            if now && !before {
                seen.kind = .added
            } else if !now && before, let previous = event.previous {
                // Leaving the selection: the object as the watcher last saw it, at this event's revision.
                seen.kind = .deleted
                var last = previous
                last.data = ResourceVersionSplice.restamp(previous.data, revision: event.revision)
                last.revision = event.revision
                seen.object = last
            } else if !now {
                return true
            }
        case .deleted:
            guard now || before else { return true }
        }
        if case .dropped = watcher.continuation.yield(seen) { return false }
        return true
    }

    /// The events after `revision`, oldest first.
    func historyEvents(after revision: Revision) -> CircularBuffer<CacheEvent>.SubSequence {
        // Binary search for the first event with revision > `revision`.
        var low = 0
        var high = history.count
        while low < high {
            let mid = (low + high) / 2
            if history[history.index(history.startIndex, offsetBy: mid)].revision <= revision { low = mid + 1 } else { high = mid }
        }
        return history[history.index(history.startIndex, offsetBy: low)...]
    }
}

extension Array where Element == String {
    /// The index of the first element not less than `value` (the array must be sorted).
    func lowerBound(of value: String) -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if self[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
