import APIModel

/// The scheduling queue as a pure state machine: every method takes the current time and
/// nothing sleeps (Kubernetes' `PriorityQueue`).
///
/// A pod is in exactly one place:
/// - **active**: ready, popped by priority (higher first), then by timestamp (earlier
///   first), then arrival order;
/// - **backoff**: failed recently, becomes active when `timestamp + backoff(attempts)`
///   is reached (see ``QueueTimings/backoff(afterAttempts:)``);
/// - **unschedulable**: parked after the plugins in ``QueuedPod/unschedulablePlugins``
///   rejected it, until a ``ClusterEvent`` one of them cares about
///   (``onClusterEvent(_:now:)``), an update to the pod, or
///   ``QueueTimings/maxUnschedulableDuration`` (checked every
///   ``QueueTimings/unschedulableFlushInterval``); a moved pod still in backoff goes to
///   backoff, else to active. Gated pods (`schedulingGates`) wait here until an update
///   removes their gates;
/// - **in flight**: popped, being scheduled or bound, until ``done(_:)`` or
///   ``requeue(_:rejectedBy:now:)``.
///
/// Pods are keyed by namespace/name: adding or updating a queued pod replaces it in place,
/// deleting removes it wherever it is. A failed pod goes to backoff rather than being
/// parked when a cluster event arrived while it was in flight (Kubernetes'
/// `moveRequestCycle`), or when it was updated meanwhile.
public struct SchedulingQueue<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// Where a pod is.
    public enum Location: Hashable, Sendable {
        case active, backoff, unschedulable, inFlight
    }

    /// What ``pop(now:)`` gives.
    public enum PopResult: Sendable {
        /// The next pod to schedule (now in flight).
        case pod(QueuedPod<Instant>)
        /// Nothing is ready; call again at this time (a backoff ends or parked pods are
        /// due a check), or after the next add, update or cluster event when nil.
        case wait(until: Instant?)
    }

    private struct Entry: Sendable {
        var queued: QueuedPod<Instant>
        var location: Location
        /// Identifies the entry's current heap item; older items are stale.
        var sequence: UInt64
        var updatedInFlight = false
    }

    private struct ActiveItem: Comparable, Sendable {
        var priority: Int32
        var timestamp: Instant
        var sequence: UInt64
        var key: PodKey

        static func < (lhs: ActiveItem, rhs: ActiveItem) -> Bool {
            if lhs.priority != rhs.priority { return lhs.priority > rhs.priority }
            if lhs.timestamp != rhs.timestamp { return lhs.timestamp < rhs.timestamp }
            return lhs.sequence < rhs.sequence
        }

        static func == (lhs: ActiveItem, rhs: ActiveItem) -> Bool { lhs.sequence == rhs.sequence }
    }

    private struct BackoffItem: Comparable, Sendable {
        var expiry: Instant
        var sequence: UInt64
        var key: PodKey

        static func < (lhs: BackoffItem, rhs: BackoffItem) -> Bool {
            lhs.expiry != rhs.expiry ? lhs.expiry < rhs.expiry : lhs.sequence < rhs.sequence
        }

        static func == (lhs: BackoffItem, rhs: BackoffItem) -> Bool { lhs.sequence == rhs.sequence }
    }

    public let timings: QueueTimings
    private var entries: [PodKey: Entry] = [:]
    private var active = BinaryHeap<ActiveItem>()
    private var backoff = BinaryHeap<BackoffItem>()
    /// Parked pods, and the same pods indexed by the plugins that rejected them, so that
    /// an event visits only the pods it may help.
    private var parked: Set<PodKey> = []
    private var parkedByPlugin: [PluginName: Set<PodKey>] = [:]
    private var nextSequence: UInt64 = 0
    /// Incremented by each pop.
    public private(set) var schedulingCycle = 0
    /// The scheduling cycle during which the last cluster event moved pods.
    private var moveRequestCycle = -1
    private var nextUnschedulableFlush: Instant?

    public init(timings: QueueTimings = QueueTimings()) {
        self.timings = timings
    }

    // MARK: Inspection

    /// Where the pod is, if queued or in flight.
    public func location(of key: PodKey) -> Location? {
        entries[key]?.location
    }

    /// The queued pod with this key.
    public func queuedPod(_ key: PodKey) -> QueuedPod<Instant>? {
        entries[key]?.queued
    }

    /// The number of pods in each place.
    public var counts: [Location: Int] {
        var counts: [Location: Int] = [:]
        for entry in entries.values { counts[entry.location, default: 0] += 1 }
        return counts
    }

    // MARK: Pod events

    /// Adds a pending pod (from the watch), or updates it if already queued.
    public mutating func add(_ pod: Pod, now: Instant) {
        let key = PodKey(pod)
        guard entries[key] == nil else {
            update(pod, now: now)
            return
        }
        let queued = QueuedPod(pod: pod, now: now)
        entries[key] = Entry(queued: queued, location: .active, sequence: 0)
        if queued.isGated {
            park(key, rejectedBy: [.schedulingGates])
        } else {
            pushActive(key)
        }
    }

    /// Replaces a queued pod with its new version. An active or backing-off pod keeps its
    /// place (re-ordered by its new priority); a parked pod whose spec or labels changed
    /// (or whose gates were lifted) is moved to backoff or active; a pod in flight is
    /// marked so that a failure retries it soon. An unknown pod is added.
    public mutating func update(_ pod: Pod, now: Instant) {
        let key = PodKey(pod)
        guard var entry = entries[key] else {
            add(pod, now: now)
            return
        }
        let old = entry.queued.pod
        entry.queued.pod = pod
        switch entry.location {
        case .active:
            entries[key] = entry
            if old.spec?.priority != pod.spec?.priority { pushActive(key) }
        case .backoff:
            entries[key] = entry
        case .inFlight:
            entry.updatedInFlight = true
            entries[key] = entry
        case .unschedulable:
            entries[key] = entry
            let wasGated = entry.queued.unschedulablePlugins == [.schedulingGates]
            if entry.queued.isGated {
                if !wasGated {
                    unpark(key)
                    park(key, rejectedBy: [.schedulingGates])
                }
                return
            }
            if wasGated || old.spec != pod.spec || old.metadata?.labels != pod.metadata?.labels {
                unpark(key)
                moveToActiveOrBackoff(key, now: now)
            }
        }
    }

    /// Removes a pod (deleted, or bound by someone else) wherever it is.
    public mutating func delete(_ key: PodKey) {
        guard let entry = entries[key] else { return }
        if entry.location == .unschedulable { unpark(key) }
        entries[key] = nil
    }

    // MARK: Scheduling

    /// The next pod to schedule, after moving pods whose backoff ended to active and
    /// flushing pods parked too long. The pod is now in flight; its attempt count and
    /// ``QueuedPod/schedulingCycle`` are updated.
    public mutating func pop(now: Instant) -> PopResult {
        flushCompletedBackoffs(now: now)
        flushUnschedulableLeftovers(now: now)
        while let item = active.pop() {
            guard var entry = entries[item.key], entry.location == .active, entry.sequence == item.sequence else {
                continue
            }
            schedulingCycle += 1
            entry.location = .inFlight
            entry.updatedInFlight = false
            entry.queued.attempts += 1
            entry.queued.schedulingCycle = schedulingCycle
            if entry.queued.initialAttemptTimestamp == nil { entry.queued.initialAttemptTimestamp = now }
            entries[item.key] = entry
            return .pod(entry.queued)
        }
        return .wait(until: nextWakeUp())
    }

    /// The popped pod was scheduled (assumed or bound): it leaves the queue.
    public mutating func done(_ key: PodKey) {
        if entries[key]?.location == .inFlight { entries[key] = nil }
    }

    /// The popped pod could not be scheduled, or its binding failed (Kubernetes'
    /// `AddUnschedulableIfNotPresent`). Its timestamp becomes `now`, starting its backoff.
    /// With `plugins` (the ``FitError/unschedulablePlugins``) it is parked, unless a
    /// cluster event arrived or the pod was updated during the attempt, in which case it
    /// goes to backoff; with no plugins (an error rather than a rejection) it goes to
    /// backoff. Ignored unless the pod is in flight (it was deleted, or re-added, meanwhile).
    public mutating func requeue(_ key: PodKey, rejectedBy plugins: Set<PluginName>, now: Instant) {
        guard var entry = entries[key], entry.location == .inFlight else { return }
        entry.queued.timestamp = now
        entry.queued.unschedulablePlugins = plugins
        let retrySoon = plugins.isEmpty || entry.updatedInFlight || moveRequestCycle >= entry.queued.schedulingCycle
        entry.updatedInFlight = false
        entries[key] = entry
        if retrySoon {
            pushBackoff(key)
        } else {
            park(key, rejectedBy: plugins)
        }
    }

    // MARK: Cluster events

    /// Moves the parked pods that `event` may help to backoff or active (Kubernetes'
    /// `MoveAllToActiveOrBackoffQueue`), and remembers the event for pods in flight.
    public mutating func onClusterEvent(_ event: ClusterEvent, now: Instant) {
        moveRequestCycle = schedulingCycle
        guard !parked.isEmpty else { return }
        var keys: Set<PodKey> = []
        for plugin in event.interestedPlugins {
            if let pods = parkedByPlugin[plugin] { keys.formUnion(pods) }
        }
        for key in keys.sorted() {
            unpark(key)
            moveToActiveOrBackoff(key, now: now)
        }
    }

    // MARK: Internals

    private mutating func flushCompletedBackoffs(now: Instant) {
        while let item = backoff.min {
            guard let entry = entries[item.key], entry.location == .backoff, entry.sequence == item.sequence else {
                backoff.pop()
                continue
            }
            guard item.expiry <= now else { break }
            backoff.pop()
            pushActive(item.key)
        }
    }

    private mutating func flushUnschedulableLeftovers(now: Instant) {
        guard let due = nextUnschedulableFlush else {
            nextUnschedulableFlush = now.advanced(by: timings.unschedulableFlushInterval)
            return
        }
        guard now >= due else { return }
        nextUnschedulableFlush = now.advanced(by: timings.unschedulableFlushInterval)
        let expired = parked.filter { key in
            guard let queued = entries[key]?.queued, !queued.isGated else { return false }
            return queued.timestamp.duration(to: now) > timings.maxUnschedulableDuration
        }
        guard !expired.isEmpty else { return }
        moveRequestCycle = schedulingCycle
        for key in expired.sorted() {
            unpark(key)
            moveToActiveOrBackoff(key, now: now)
        }
    }

    private mutating func nextWakeUp() -> Instant? {
        while let item = backoff.min {
            if let entry = entries[item.key], entry.location == .backoff, entry.sequence == item.sequence { break }
            backoff.pop()
        }
        var wakeUp = backoff.min?.expiry
        if let flush = nextUnschedulableFlush, parked.contains(where: { entries[$0]?.queued.isGated == false }) {
            wakeUp = wakeUp.map { min($0, flush) } ?? flush
        }
        return wakeUp
    }

    private func backoffExpiry(_ queued: QueuedPod<Instant>) -> Instant {
        queued.timestamp.advanced(by: timings.backoff(afterAttempts: queued.attempts))
    }

    private mutating func moveToActiveOrBackoff(_ key: PodKey, now: Instant) {
        guard let entry = entries[key] else { return }
        if entry.queued.attempts > 0 && backoffExpiry(entry.queued) > now {
            pushBackoff(key)
        } else {
            pushActive(key)
        }
    }

    private mutating func takeSequence() -> UInt64 {
        nextSequence += 1
        return nextSequence
    }

    private mutating func pushActive(_ key: PodKey) {
        guard var entry = entries[key] else { return }
        entry.location = .active
        entry.sequence = takeSequence()
        entries[key] = entry
        active.push(ActiveItem(priority: entry.queued.priority, timestamp: entry.queued.timestamp,
                               sequence: entry.sequence, key: key))
    }

    private mutating func pushBackoff(_ key: PodKey) {
        guard var entry = entries[key] else { return }
        entry.location = .backoff
        entry.sequence = takeSequence()
        entries[key] = entry
        backoff.push(BackoffItem(expiry: backoffExpiry(entry.queued), sequence: entry.sequence, key: key))
    }

    private mutating func park(_ key: PodKey, rejectedBy plugins: Set<PluginName>) {
        guard var entry = entries[key] else { return }
        entry.location = .unschedulable
        entry.queued.unschedulablePlugins = plugins
        entries[key] = entry
        parked.insert(key)
        for plugin in plugins { parkedByPlugin[plugin, default: []].insert(key) }
    }

    private mutating func unpark(_ key: PodKey) {
        parked.remove(key)
        for plugin in entries[key]?.queued.unschedulablePlugins ?? [] {
            parkedByPlugin[plugin]?.remove(key)
        }
    }
}
