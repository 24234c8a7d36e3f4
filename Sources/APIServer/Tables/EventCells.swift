import APIModel
import Foundation

/// The cells of an event that need more than a field read, as Kubernetes' event printer writes them.
enum EventCells {
    /// `First Seen`: the age of `firstTimestamp`, else of `eventTime`, else `<unknown>`.
    static func firstSeen(_ event: Event, now: Time) -> String {
        if let first = event.firstTimestamp { return HumanDuration.age(of: first, now: now) }
        return age(of: event.eventTime, now: now)
    }

    /// `Last Seen`: the age of the series' last observation for a series, else of `lastTimestamp`, else the
    /// first-seen text.
    static func lastSeen(_ event: Event, now: Time) -> String {
        if let series = event.series { return age(of: series.lastObservedTime, now: now) }
        if let last = event.lastTimestamp { return HumanDuration.age(of: last, now: now) }
        return firstSeen(event, now: now)
    }

    /// `Count`: the series' count for a series, else `count`, an absent or zero count reading as 1
    /// (singleton events of the `events.k8s.io` API carry none).
    static func count(_ event: Event) -> Int64 {
        if let series = event.series { return Int64(series.count ?? 0) }
        let count = event.count ?? 0
        return count == 0 ? 1 : Int64(count)
    }

    /// `Object`: the involved object as `kind/name` with the kind in lower case, or the kind alone.
    static func object(_ event: Event) -> String {
        let kind = (event.involvedObject?.kind ?? "").lowercased()
        guard let name = event.involvedObject?.name, !name.isEmpty else { return kind }
        return "\(kind)/\(name)"
    }

    /// `Source`: the component (`source.component`, else `reportingComponent`), followed by `, <host>`
    /// (`source.host`, else `reportingInstance`) when there is one.
    static func source(_ event: Event) -> String {
        let component = firstNonEmpty(event.source?.component, event.reportingComponent)
        let instance = firstNonEmpty(event.source?.host, event.reportingInstance)
        return instance.isEmpty ? component : "\(component), \(instance)"
    }

    /// `Message`: the message without surrounding white space.
    static func message(_ event: Event) -> String {
        (event.message ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The age of a microsecond timestamp, whole seconds truncated toward zero, or `<unknown>`.
    private static func age(of time: MicroTime?, now: Time) -> String {
        guard let time else { return "<unknown>" }
        let micros = now.secondsSinceEpoch * 1_000_000 - time.microsecondsSinceEpoch
        return HumanDuration.format(seconds: micros / 1_000_000)
    }

    private static func firstNonEmpty(_ first: String?, _ second: String?) -> String {
        if let first, !first.isEmpty { return first }
        return second ?? ""
    }
}
