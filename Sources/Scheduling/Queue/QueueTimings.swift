/// The queue's timings (kube-scheduler's defaults: `podInitialBackoffSeconds` 1,
/// `podMaxBackoffSeconds` 10, `podMaxInUnschedulablePodsDuration` 5 minutes, flushed every
/// 30 seconds).
public struct QueueTimings: Hashable, Sendable {
    /// The backoff after the first failed attempt.
    public var initialBackoff: Duration
    /// The longest backoff.
    public var maxBackoff: Duration
    /// How long a pod stays parked as unschedulable before it is retried anyway.
    public var maxUnschedulableDuration: Duration
    /// How often parked pods are checked against ``maxUnschedulableDuration``.
    public var unschedulableFlushInterval: Duration

    public init(initialBackoff: Duration = .seconds(1), maxBackoff: Duration = .seconds(10),
                maxUnschedulableDuration: Duration = .seconds(300),
                unschedulableFlushInterval: Duration = .seconds(30)) {
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxUnschedulableDuration = maxUnschedulableDuration
        self.unschedulableFlushInterval = unschedulableFlushInterval
    }

    /// The backoff of a pod after `attempts` scheduling attempts: ``initialBackoff``
    /// doubled per attempt after the first, capped at ``maxBackoff`` (Kubernetes'
    /// `calculateBackoffDuration`); 1 s, 2 s, 4 s, 8 s, 10 s, 10 s… by default.
    public func backoff(afterAttempts attempts: Int) -> Duration {
        var duration = initialBackoff
        var attempt = 1
        while attempt < attempts {
            duration *= 2
            if duration > maxBackoff { return maxBackoff }
            attempt += 1
        }
        return duration
    }
}
