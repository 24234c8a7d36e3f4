import Foundation

/// How long a DaemonSet waits before killing another failed daemon pod on the same node (Kubernetes'
/// `failedPodsBackoff`, a `flowcontrol.Backoff` of 1 s doubling to 15 min), so that a controller and a node agent
/// that keeps rejecting the pod do not fight in a hot loop. Keys are `<daemonset uid>/<observedGeneration>/<node>`,
/// so a new template starts afresh.
///
/// Contracts:
/// - `remaining` is the wait left for the key at `now`, nil when it is not backing off (never seen, its wait is over, or
///   its entry expired: untouched for twice the maximum).
/// - `next` records a kill at `now`: the wait starts at `initial` (new or expired entry) or doubles, up to `maximum`.
public struct FailedPodBackoff: Sendable {
    private var entries: [String: (delay: TimeInterval, lastUpdate: Date)] = [:]
    public let initial: TimeInterval
    public let maximum: TimeInterval

    public init(initial: TimeInterval = 1, maximum: TimeInterval = 15 * 60) {
        self.initial = initial
        self.maximum = maximum
    }

    public static func key(daemonSetUID: String?, observedGeneration: Int64?, node: String) -> String {
        "\(daemonSetUID ?? "")/\(observedGeneration ?? 0)/\(node)"
    }

    public func remaining(_ key: String, now: Date) -> TimeInterval? {
        guard let entry = entries[key], !expired(entry.lastUpdate, now: now) else { return nil }
        let left = entry.delay - now.timeIntervalSince(entry.lastUpdate)
        return left > 0 ? left : nil
    }

    public mutating func next(_ key: String, now: Date) {
        if let entry = entries[key], !expired(entry.lastUpdate, now: now) {
            entries[key] = (min(entry.delay * 2, maximum), now)
        } else {
            entries[key] = (initial, now)
        }
        entries = entries.filter { !expired($0.value.lastUpdate, now: now) }
    }

    private func expired(_ lastUpdate: Date, now: Date) -> Bool {
        now.timeIntervalSince(lastUpdate) > 2 * maximum
    }
}
