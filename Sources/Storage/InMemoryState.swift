import Foundation

/// The data of an `InMemoryStore`: per-key version histories, the event log and the revisions.
struct InMemoryState: Sendable {
    static let initialRevision: Revision = 1

    /// One write of a key: the value it left, or nil for a deletion.
    struct Version: Sendable {
        var revision: Revision
        var kv: KeyValue?
    }

    var revision: Revision = initialRevision
    var compacted: Revision = initialRevision
    /// Every key that has a version, each history in ascending revision order.
    var versions: [String: [Version]] = [:]
    /// The keys of `versions` in byte order.
    var sortedKeys: [String] = []
    /// One event per revision from `firstEventRevision` to `revision`.
    var events: [WatchEvent] = []
    var firstEventRevision: Revision = initialRevision + 1
    var closed = false

    func current(_ key: String) -> KeyValue? {
        versions[key]?.last?.kv
    }

    /// The key's current value, if it exists and `expectedRevision` (when given) matches it.
    func existing(_ key: String, expectedRevision: Revision?) throws -> KeyValue {
        guard let kv = current(key) else { throw StoreError.notFound(key: key) }
        if let expectedRevision, expectedRevision != kv.modRevision { throw StoreError.conflict(current: kv) }
        return kv
    }

    /// Records a write; `event.revision` must be `revision + 1`.
    mutating func apply(_ event: WatchEvent) {
        let key = event.kv.key
        let version = Version(revision: event.revision, kv: event.kind == .deleted ? nil : event.kv)
        if versions[key] == nil {
            sortedKeys.insert(key, at: lowerBound(key))
            versions[key] = [version]
        } else {
            versions[key]!.append(version)
        }
        events.append(event)
        revision = event.revision
    }

    func list(prefix: String, revision requested: Revision?, limit: Int?, after: String?) throws -> ListResult {
        let at = requested ?? revision
        try checkReadable(at)
        let limit = limit.flatMap { $0 > 0 ? $0 : nil }
        var index = lowerBound(prefix)
        if let after { index = max(index, upperBound(after)) }
        var items: [KeyValue] = []
        var hasMore = false
        while index < sortedKeys.count, KeyOrder.hasPrefix(sortedKeys[index], prefix) {
            if let kv = value(of: sortedKeys[index], at: at) {
                if let limit, items.count == limit {
                    hasMore = true
                    break
                }
                items.append(kv)
            }
            index += 1
        }
        return ListResult(items: items, revision: at, hasMore: hasMore)
    }

    /// The stored events for keys with `prefix` and revisions in `(after, through]`, at most `limit`.
    func events(prefix: String, after: Revision, through: Revision, limit: Int) throws -> [WatchEvent] {
        if after + 1 < compacted { throw StoreError.compacted(requested: after, compactedRevision: compacted) }
        var result: [WatchEvent] = []
        var next = max(after + 1, firstEventRevision)
        let last = min(through, revision)
        while next <= last, result.count < limit {
            let event = events[Int(next - firstEventRevision)]
            if KeyOrder.hasPrefix(event.kv.key, prefix) { result.append(event) }
            next += 1
        }
        return result
    }

    /// Drops history before `target`: events below it, and every version below it except each key's newest
    /// one (which the state at `target` still needs) unless that is a deletion.
    mutating func compact(upTo target: Revision) throws {
        if target > revision { throw StoreError.futureRevision(requested: target, current: revision) }
        guard target > compacted else { return }
        let dropped = Int(min(Revision(events.count), max(0, target - firstEventRevision)))
        events.removeFirst(dropped)
        firstEventRevision = max(firstEventRevision, target)
        var emptied = false
        versions = versions.compactMapValues { history in
            let kept = Self.compacted(history, upTo: target)
            if kept.isEmpty { emptied = true }
            return kept.isEmpty ? nil : kept
        }
        if emptied { sortedKeys.removeAll { versions[$0] == nil } }
        compacted = target
    }

    /// The versions of one key that survive compaction to `target`.
    private static func compacted(_ history: [Version], upTo target: Revision) -> [Version] {
        let firstKept = history.firstIndex { $0.revision >= target } ?? history.count
        guard firstKept > 0 else { return history }
        var keepFrom = firstKept - 1  // The newest version below the target: the key's state at the target.
        if history[keepFrom].kv == nil { keepFrom += 1 }
        return keepFrom == 0 ? history : Array(history[keepFrom...])
    }

    private func checkReadable(_ at: Revision) throws {
        if at > revision { throw StoreError.futureRevision(requested: at, current: revision) }
        if at < compacted { throw StoreError.compacted(requested: at, compactedRevision: compacted) }
    }

    private func value(of key: String, at revision: Revision) -> KeyValue? {
        guard let history = versions[key] else { return nil }
        return history.last(where: { $0.revision <= revision })?.kv
    }

    /// The index of the first key not below `key`.
    private func lowerBound(_ key: String) -> Int {
        partition { !KeyOrder.less($0, key) }
    }

    /// The index of the first key above `key`.
    private func upperBound(_ key: String) -> Int {
        partition { KeyOrder.less(key, $0) }
    }

    /// The first index of `sortedKeys` whose key satisfies `isAtOrAfter` (which must be monotonic).
    private func partition(_ isAtOrAfter: (String) -> Bool) -> Int {
        var low = 0
        var high = sortedKeys.count
        while low < high {
            let mid = (low + high) / 2
            if isAtOrAfter(sortedKeys[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
