import APIModel
import Foundation

/// The schedule and result of one probe of one container instance, as the kubelet's probe worker keeps them.
///
/// Contract:
/// - The first attempt is due `initialDelaySeconds` after the container started, then every `periodSeconds`
///   (defaults: 0, 10); an attempt in flight is never doubled.
/// - The result changes only after `successThreshold` consecutive successes (default 1) or `failureThreshold`
///   consecutive failures (default 3). Initial results: readiness Failure, liveness Success, startup Unknown.
/// - A liveness or startup Failure puts the probe on hold (the container is being restarted; a new instance
///   gets a new tracker). A startup Success ends the startup probe.
public struct ProbeTracker: Sendable, Equatable {
    public enum Result: Sendable, Equatable { case unknown, success, failure }

    public let kind: ProbeKind
    public let probe: Probe
    public private(set) var result: Result
    public private(set) var nextDue: Date
    public private(set) var inFlight = false
    public private(set) var onHold = false
    private var lastOutcome: Bool?
    private var run = 0

    public init(kind: ProbeKind, probe: Probe, containerStartedAt: Date) {
        self.kind = kind
        self.probe = probe
        self.result = switch kind {
        case .readiness: .failure
        case .liveness: .success
        case .startup: .unknown
        }
        self.nextDue = containerStartedAt.addingTimeInterval(TimeInterval(probe.initialDelaySeconds ?? 0))
    }

    var period: TimeInterval { TimeInterval(max(1, probe.periodSeconds ?? 10)) }
    var successThreshold: Int { Int(max(1, probe.successThreshold ?? 1)) }
    var failureThreshold: Int { Int(max(1, probe.failureThreshold ?? 3)) }

    /// Whether the tracker still schedules attempts.
    public var active: Bool { !onHold && !(kind == .startup && result == .success) }

    /// When an attempt is due at `now`, marks it in flight and moves the schedule one period on.
    public mutating func takeDue(now: Date) -> Bool {
        guard active, !inFlight, now >= nextDue else { return false }
        inFlight = true
        while nextDue <= now { nextDue.addTimeInterval(period) }
        return true
    }

    /// Records an attempt's outcome; returns whether the result changed.
    public mutating func record(success: Bool) -> Bool {
        inFlight = false
        guard active else { return false }
        run = lastOutcome == success ? run + 1 : 1
        lastOutcome = success
        let previous = result
        if success, run >= successThreshold { result = .success }
        if !success, run >= failureThreshold { result = .failure }
        if result == .failure, kind != .readiness { onHold = true }
        return result != previous
    }
}

/// The probes of one container instance: trackers for the probes its spec declares.
public struct ContainerProbes: Sendable, Equatable {
    public private(set) var trackers: [ProbeKind: ProbeTracker] = [:]

    public init() {}

    public init(container: Container, startedAt: Date) {
        let declared: [(ProbeKind, Probe?)] = [
            (.startup, container.startupProbe), (.liveness, container.livenessProbe),
            (.readiness, container.readinessProbe),
        ]
        for case let (kind, probe?) in declared {
            trackers[kind] = ProbeTracker(kind: kind, probe: probe, containerStartedAt: startedAt)
        }
    }

    /// Started: no startup probe, or it succeeded.
    public var started: Bool { trackers[.startup].map { $0.result == .success } ?? true }

    /// Ready (when started): no readiness probe, or its result is Success.
    public var ready: Bool { started && (trackers[.readiness].map { $0.result == .success } ?? true) }

    /// The attempts due at `now`; liveness and readiness wait until the container has started.
    public mutating func due(now: Date) -> [ProbeKind] {
        ProbeKind.allCases.filter { kind in
            guard kind == .startup || started else { return false }
            return trackers[kind]?.takeDue(now: now) ?? false
        }
    }

    /// The earliest time an attempt comes due, nil when none will.
    public var nextDue: Date? {
        trackers.values.filter { $0.active && !$0.inFlight && ($0.kind == .startup || started) }.map(\.nextDue).min()
    }

    /// Records an attempt's outcome; returns the tracker afterwards and whether its result changed.
    public mutating func record(_ kind: ProbeKind, success: Bool) -> (tracker: ProbeTracker, changed: Bool)? {
        guard var tracker = trackers[kind] else { return nil }
        let changed = tracker.record(success: success)
        trackers[kind] = tracker
        return (tracker, changed)
    }
}
