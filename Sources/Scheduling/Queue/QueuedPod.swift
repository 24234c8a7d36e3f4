import APIModel

/// A pod waiting in (or popped from) the ``SchedulingQueue``, with its scheduling history
/// (Kubernetes' `QueuedPodInfo`).
public struct QueuedPod<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// The latest version of the pod the queue has seen.
    public internal(set) var pod: Pod
    public let key: PodKey
    /// When the pod was added, or last failed an attempt; orders equal priorities and
    /// starts the backoff.
    public internal(set) var timestamp: Instant
    /// When the pod was first popped for an attempt.
    public internal(set) var initialAttemptTimestamp: Instant?
    /// The number of scheduling attempts so far (counted when popped).
    public internal(set) var attempts: Int
    /// The plugins that rejected the pod in its last attempt.
    public internal(set) var unschedulablePlugins: Set<PluginName>
    /// The queue's scheduling cycle in which the pod was last popped.
    public internal(set) var schedulingCycle: Int

    init(pod: Pod, now: Instant) {
        self.pod = pod
        key = PodKey(pod)
        timestamp = now
        initialAttemptTimestamp = nil
        attempts = 0
        unschedulablePlugins = []
        schedulingCycle = 0
    }

    /// `spec.priority` (0 when unset); higher is popped first.
    public var priority: Int32 { pod.spec?.priority ?? 0 }

    /// Whether scheduling gates hold the pod back (`spec.schedulingGates` non-empty).
    public var isGated: Bool { !(pod.spec?.schedulingGates ?? []).isEmpty }
}
