import APIModel
import Foundation

/// What client-go's event correlator decides for each event a component records, as pure logic with the
/// time passed in:
/// - **Spam filter**: each (source, object) pair has a token bucket of 25 events refilled at one per five
///   minutes; an event without a token is dropped.
/// - **Aggregation**: when more than `aggregationThreshold` events with the same source, object, type and
///   reason but different messages arrive within `aggregationWindow`, later ones are folded into one event
///   whose message is `(combined from similar events): <latest message>`.
/// - **Deduplication**: an event equal to one already sent (same source, object, type, reason and message)
///   is not created again: the existing event's `count` goes up by one and its `lastTimestamp` moves.
public struct EventCorrelator: Sendable {
    /// What to do with a recorded event.
    public enum Action: Sendable, Equatable {
        /// Create this event.
        case create(Event)
        /// Update the event already stored under `name` in `namespace` to `count` and `lastTimestamp`.
        case bump(namespace: String, name: String, count: Int32, lastTimestamp: Time, message: String)
        /// Drop it (spam filter).
        case drop
    }

    public var aggregationThreshold = 10
    public var aggregationWindow: TimeInterval = 600
    public var burst = 25.0
    public var refillInterval: TimeInterval = 300
    /// How many distinct events are remembered (least recently used forgotten first).
    public var capacity = 4096

    private struct Sent {
        var namespace: String
        var name: String
        var count: Int32
        var firstTimestamp: Time
        var lastUsed: UInt64
    }

    private struct Similar {
        var messages: Set<String>
        var windowStart: Date
    }

    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    private var sent: [String: Sent] = [:]
    private var similar: [String: Similar] = [:]
    private var buckets: [String: Bucket] = [:]
    private var clock: UInt64 = 0

    public init() {}

    /// Decides what to do with `event` (which has its involved object, source, type, reason and message set)
    /// at `now`. For `.create`, call `created(_:)` once the event is stored so later duplicates bump it.
    public mutating func observe(_ event: Event, now: Date) -> Action {
        let object = Self.objectKey(event)
        guard takeToken(object, now: now) else { return .drop }
        var event = event
        let aggregateKey = object + "\u{1}" + (event.type ?? "") + "\u{1}" + (event.reason ?? "")
        var group = similar[aggregateKey] ?? Similar(messages: [], windowStart: now)
        if now.timeIntervalSince(group.windowStart) > aggregationWindow { group = Similar(messages: [], windowStart: now) }
        group.messages.insert(event.message ?? "")
        similar[aggregateKey] = group
        if group.messages.count > aggregationThreshold {
            event.message = Self.combinedPrefix + (event.message ?? "")
        }
        let key = Self.dedupKey(event)
        clock += 1
        if var previous = sent[key] {
            previous.count += 1
            previous.lastUsed = clock
            sent[key] = previous
            return .bump(namespace: previous.namespace, name: previous.name, count: previous.count,
                         lastTimestamp: Time(now), message: event.message ?? "")
        }
        return .create(event)
    }

    /// Remembers a stored event so that its duplicates bump it.
    public mutating func created(_ event: Event) {
        let key = Self.dedupKey(event)
        clock += 1
        sent[key] = Sent(namespace: event.metadata?.namespace ?? "", name: event.metadata?.name ?? "",
                         count: event.count ?? 1, firstTimestamp: event.firstTimestamp ?? Time.now(), lastUsed: clock)
        if sent.count > capacity {
            let oldest = sent.min { $0.value.lastUsed < $1.value.lastUsed }!.key
            sent.removeValue(forKey: oldest)
        }
    }

    /// Forgets a stored event (it expired or was deleted), so the next duplicate creates a new one.
    public mutating func forget(namespace: String, name: String) {
        sent = sent.filter { !($0.value.namespace == namespace && $0.value.name == name) }
    }

    private mutating func takeToken(_ object: String, now: Date) -> Bool {
        var bucket = buckets[object] ?? Bucket(tokens: burst, updated: now)
        bucket.tokens = min(burst, bucket.tokens + now.timeIntervalSince(bucket.updated) / refillInterval)
        bucket.updated = now
        guard bucket.tokens >= 1 else {
            buckets[object] = bucket
            return false
        }
        bucket.tokens -= 1
        buckets[object] = bucket
        if buckets.count > capacity { buckets = buckets.filter { $0.value.tokens < burst } }
        return true
    }

    private static let combinedPrefix = "(combined from similar events): "

    /// Equal for duplicates; all combined events of one object, type and reason share one key.
    private static func dedupKey(_ event: Event) -> String {
        let message = event.message ?? ""
        return objectKey(event) + "\u{1}" + (event.type ?? "") + "\u{1}" + (event.reason ?? "") + "\u{1}"
            + (message.hasPrefix(combinedPrefix) ? combinedPrefix : message)
    }

    private static func objectKey(_ event: Event) -> String {
        let ref = event.involvedObject
        return [event.source?.component ?? "", event.source?.host ?? "", ref?.kind ?? "", ref?.namespace ?? "",
                ref?.name ?? "", ref?.uid ?? "", ref?.apiVersion ?? ""].joined(separator: "\u{1}")
    }
}
