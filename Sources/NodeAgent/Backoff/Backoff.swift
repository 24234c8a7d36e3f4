import Foundation

/// Per-key exponential back-off with the kubelet's semantics (client-go's `flowcontrol.Backoff`), used for
/// crash loops (key: container name) and image pulls (key: image).
///
/// Contract:
/// - `next(_:eventTime:now:)` is called when a new attempt is made: the first call (or the first after the
///   entry expired) sets the back-off to `initial`, every later one doubles it, capped at `maximum`; it records
///   `now` as the entry's last update.
/// - An entry expires when an event happens more than `2 × maximum` after its last update (10 min by default):
///   a container that ran that long before crashing restarts at once, and its back-off starts again at 10 s.
/// - Pure: time is always passed in.
public struct Backoff: Sendable, Equatable {
    public let initial: TimeInterval
    public let maximum: TimeInterval
    private var entries: [String: Entry] = [:]

    private struct Entry: Sendable, Equatable {
        var duration: TimeInterval
        var lastUpdate: Date
    }

    /// The kubelet's values: 10 s doubling to 5 min.
    public init(initial: TimeInterval = 10, maximum: TimeInterval = 300) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The current back-off of `key`, nil before its first attempt.
    public func duration(_ key: String) -> TimeInterval? { entries[key]?.duration }

    /// Whether an event of `key` at `eventTime` (a container's `finishedAt`) is still backing off at `now`,
    /// and if so until when.
    public func backoffEnd(_ key: String, since eventTime: Date, now: Date) -> Date? {
        guard let entry = entries[key], !expired(entry, at: eventTime) else { return nil }
        let end = eventTime.addingTimeInterval(entry.duration)
        return now < end ? end : nil
    }

    /// Whether `key` is backing off at `now`, counted from its last attempt (image pulls), and until when.
    public func backoffEndSinceUpdate(_ key: String, now: Date) -> Date? {
        guard let entry = entries[key] else { return nil }
        let end = entry.lastUpdate.addingTimeInterval(entry.duration)
        return now < end ? end : nil
    }

    /// Records an attempt of `key` after an event at `eventTime`, made at `now`.
    public mutating func next(_ key: String, eventTime: Date, now: Date) {
        if let entry = entries[key], !expired(entry, at: eventTime) {
            entries[key] = Entry(duration: min(entry.duration * 2, maximum), lastUpdate: now)
        } else {
            entries[key] = Entry(duration: initial, lastUpdate: now)
        }
    }

    private func expired(_ entry: Entry, at eventTime: Date) -> Bool {
        eventTime.timeIntervalSince(entry.lastUpdate) > 2 * maximum
    }
}

/// Durations printed as Go's `time.Duration.String()` does, as the kubelet's messages show them
/// (`10s`, `1m20s`, `5m0s`, `1.5s`).
public enum GoDuration {
    public static func format(_ seconds: TimeInterval) -> String {
        if seconds < 60 {
            let rounded = (seconds * 1000).rounded() / 1000
            if rounded == rounded.rounded() { return "\(Int(rounded))s" }
            return "\(rounded)s"
        }
        let total = Int(seconds.rounded())
        let (hours, minutes, secs) = (total / 3600, total % 3600 / 60, total % 60)
        return hours > 0 ? "\(hours)h\(minutes)m\(secs)s" : "\(minutes)m\(secs)s"
    }
}
