import APIModel

/// The scheduler's whole decision process as a pure state machine: watch events go in,
/// scheduling decisions come out, time and randomness are injected, nothing does I/O.
/// The scheduler service owns one, feeds it the pod and node watches, asks
/// ``scheduleNext(now:using:)`` for work, posts the bindings it returns and reports
/// their outcome.
///
/// It routes events as kube-scheduler's event handlers do:
/// - pods with `spec.nodeName` go to the ``cache`` (and leave the ``queue``), firing the
///   assigned-pod ``ClusterEvent``s; pending pods for this scheduler (`schedulerName`
///   empty or ``schedulerName``) go to the queue; finished (`Succeeded`/`Failed`) pods
///   leave both;
/// - nodes go to the cache, firing node events (updates only when something a filter
///   reads changed).
///
/// A scheduled pod is assumed in the cache at once, so the next decision already sees its
/// resources taken, and stays in flight in the queue until ``bindingSucceeded(_:)`` or
/// ``bindingFailed(_:now:)``.
public struct Scheduler<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// The scheduler name pods must ask for (or leave empty) to be scheduled here.
    public static var defaultSchedulerName: String { "default-scheduler" }

    /// What to do next.
    public enum Decision: Sendable {
        /// Bind the pod to the node (it is assumed there already).
        case bind(Pod, nodeName: String)
        /// No node fits: record the failure (a `PodScheduled=False` condition with reason
        /// `Unschedulable` and ``FitError/message``); the pod is requeued.
        case unschedulable(Pod, FitError)
        /// Nothing to schedule before this time (nil: until the next event).
        case wait(until: Instant?)
    }

    public private(set) var cache = SchedulerCache()
    public private(set) var queue: SchedulingQueue<Instant>
    public var algorithm: SchedulingAlgorithm
    public let schedulerName: String

    public init(schedulerName: String = Self.defaultSchedulerName, timings: QueueTimings = QueueTimings(),
                algorithm: SchedulingAlgorithm = SchedulingAlgorithm()) {
        self.schedulerName = schedulerName
        self.queue = SchedulingQueue(timings: timings)
        self.algorithm = algorithm
    }

    // MARK: Watch events

    /// A pod appeared (or was listed).
    public mutating func podAdded(_ pod: Pod, now: Instant) {
        podChanged(from: nil, to: pod, now: now)
    }

    /// A pod changed; `old` is the previous version, if known.
    public mutating func podUpdated(from old: Pod?, to pod: Pod, now: Instant) {
        podChanged(from: old, to: pod, now: now)
    }

    /// A pod was deleted.
    public mutating func podDeleted(_ pod: Pod, now: Instant) {
        let key = PodKey(pod)
        queue.delete(key)
        if cache.nodeName(of: key) != nil {
            cache.removePod(key)
            queue.onClusterEvent(.assignedPodDeleted, now: now)
        }
    }

    /// A node appeared (or was listed).
    public mutating func nodeAdded(_ node: Node, now: Instant) {
        cache.addNode(node)
        queue.onClusterEvent(.nodeAdded, now: now)
    }

    /// A node changed; `old` is the previous version, if known.
    public mutating func nodeUpdated(from old: Node?, to node: Node, now: Instant) {
        cache.updateNode(node)
        if let event = old.map({ ClusterEvent.nodeUpdate(from: $0, to: node) }) ?? .nodeUpdated {
            queue.onClusterEvent(event, now: now)
        }
    }

    /// A node was deleted.
    public mutating func nodeDeleted(named name: String, now: Instant) {
        cache.removeNode(named: name)
        queue.onClusterEvent(.nodeDeleted, now: now)
    }

    private mutating func podChanged(from old: Pod?, to pod: Pod, now: Instant) {
        let key = PodKey(pod)
        let phase = pod.status?.phase
        let finished = phase == "Succeeded" || phase == "Failed"
        if let nodeName = pod.spec?.nodeName, !nodeName.isEmpty {
            queue.delete(key)
            let wasBound = cache.nodeName(of: key) != nil && !cache.isAssumed(key)
            if finished {
                guard cache.nodeName(of: key) != nil else { return }
                cache.removePod(key)
                queue.onClusterEvent(.assignedPodDeleted, now: now)
                return
            }
            cache.addPod(pod)
            let wasAssigned = wasBound || !(old?.spec?.nodeName ?? "").isEmpty
            queue.onClusterEvent(wasAssigned ? .assignedPodUpdated : .assignedPodAdded, now: now)
            return
        }
        guard !finished, isResponsible(for: pod) else {
            queue.delete(key)
            return
        }
        queue.update(pod, now: now)
    }

    private func isResponsible(for pod: Pod) -> Bool {
        let name = pod.spec?.schedulerName ?? ""
        return name.isEmpty || name == schedulerName
    }

    // MARK: Scheduling

    /// Schedules the next pod the queue offers: a ``Decision/bind(_:nodeName:)`` (the pod
    /// is assumed on the node), an ``Decision/unschedulable(_:_:)`` (the pod is requeued
    /// with the plugins that rejected it), or ``Decision/wait(until:)``. Pods being
    /// deleted, or already in the cache, are skipped.
    public mutating func scheduleNext(now: Instant, using generator: inout some RandomNumberGenerator) -> Decision {
        while true {
            let attempt: QueuedPod<Instant>
            switch queue.pop(now: now) {
            case .wait(let until): return .wait(until: until)
            case .pod(let popped): attempt = popped
            }
            let pod = attempt.pod
            if pod.metadata?.deletionTimestamp != nil || cache.nodeName(of: attempt.key) != nil {
                queue.done(attempt.key)
                continue
            }
            let toSchedule = PodToSchedule(pod)
            switch algorithm.schedule(toSchedule, in: cache, using: &generator) {
            case .success(let result):
                do {
                    try cache.assume(toSchedule, onNode: result.nodeName)
                } catch {
                    queue.done(attempt.key)
                    continue
                }
                return .bind(pod, nodeName: result.nodeName)
            case .failure(let error):
                queue.requeue(attempt.key, rejectedBy: error.unschedulablePlugins, now: now)
                return .unschedulable(pod, error)
            }
        }
    }

    /// The binding of a scheduled pod succeeded: it leaves the queue (the watch will
    /// confirm it in the cache).
    public mutating func bindingSucceeded(_ key: PodKey) {
        queue.done(key)
    }

    /// The binding of a scheduled pod failed: the assumption is undone, which frees the
    /// node for parked pods (an assigned-pod deletion), and the pod backs off.
    public mutating func bindingFailed(_ key: PodKey, now: Instant) {
        cache.forget(key)
        queue.onClusterEvent(.assignedPodDeleted, now: now)
        queue.requeue(key, rejectedBy: [], now: now)
    }
}
