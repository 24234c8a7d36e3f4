import Testing
import APIModel
@testable import Scheduling

/// The queue under test, with instants as offsets from a fixed origin.
private typealias Queue = SchedulingQueue<ContinuousClock.Instant>
private let origin = ContinuousClock.Instant.now

private func at(_ seconds: Double) -> ContinuousClock.Instant {
    origin.advanced(by: .milliseconds(Int64(seconds * 1000)))
}

private extension Queue {
    /// The popped pod's name, or nil when the queue says to wait.
    mutating func popName(at seconds: Double) -> String? {
        popped(at: seconds)?.key.name
    }

    mutating func popped(at seconds: Double) -> QueuedPod<ContinuousClock.Instant>? {
        if case .pod(let pod) = pop(now: at(seconds)) { return pod }
        return nil
    }

    mutating func waitUntil(at seconds: Double) -> ContinuousClock.Instant?? {
        if case .wait(let until) = pop(now: at(seconds)) { return .some(until) }
        return nil
    }
}

@Suite struct SchedulingQueueTests {
    @Test func priorityThenArrival() {
        var queue = Queue()
        queue.add(makePod("low1"), now: at(0))
        queue.add(makePod("high", priority: 100), now: at(1))
        queue.add(makePod("low2"), now: at(2))
        queue.add(makePod("mid", priority: 10), now: at(3))
        #expect([queue.popName(at: 4), queue.popName(at: 4), queue.popName(at: 4), queue.popName(at: 4)]
            == ["high", "mid", "low1", "low2"])
        #expect(queue.waitUntil(at: 4) == .some(nil))
    }

    @Test func backoffDoublesUpToTheMaximum() {
        let timings = QueueTimings()
        #expect((1...6).map { timings.backoff(afterAttempts: $0) }
            == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(10), .seconds(10)])
    }

    @Test func failedPodsWaitOutTheirBackoff() {
        var queue = Queue()
        queue.add(makePod("p"), now: at(0))
        var attempt = queue.popped(at: 0)!
        #expect(attempt.attempts == 1)
        queue.requeue(attempt.key, rejectedBy: [], now: at(10))  // an error: straight to backoff
        #expect(queue.location(of: attempt.key) == .backoff)
        #expect(queue.waitUntil(at: 10.5) == .some(at(11)))
        #expect(queue.popName(at: 11) == "p")
        attempt = queue.queuedPod(attempt.key)!
        #expect(attempt.attempts == 2)
        queue.requeue(attempt.key, rejectedBy: [], now: at(20))
        #expect(queue.popName(at: 21.9) == nil)
        #expect(queue.popName(at: 22) == "p")
    }

    @Test func rejectedPodsAreParkedUntilAHelpfulEvent() {
        var queue = Queue()
        queue.add(makePod("p", cpu: "8"), now: at(0))
        let attempt = queue.popped(at: 0)!
        queue.requeue(attempt.key, rejectedBy: [.nodeResourcesFit], now: at(0))
        #expect(queue.location(of: attempt.key) == .unschedulable)

        queue.onClusterEvent(.assignedPodAdded, now: at(0.2))  // cannot free resources
        #expect(queue.location(of: attempt.key) == .unschedulable)
        queue.onClusterEvent(.assignedPodDeleted, now: at(0.5))  // may free resources; still backing off
        #expect(queue.location(of: attempt.key) == .backoff)
        #expect(queue.popName(at: 0.9) == nil)
        #expect(queue.popName(at: 1) == "p")
    }

    @Test func eventsAfterTheBackoffMoveStraightToActive() {
        var queue = Queue()
        queue.add(makePod("p"), now: at(0))
        let attempt = queue.popped(at: 0)!
        queue.requeue(attempt.key, rejectedBy: [.taintToleration], now: at(0))
        queue.onClusterEvent(.nodeUpdated, now: at(5))
        #expect(queue.location(of: attempt.key) == .active)
    }

    @Test func anEventDuringTheAttemptSendsTheFailureToBackoff() {
        var queue = Queue()
        queue.add(makePod("p"), now: at(0))
        let attempt = queue.popped(at: 0)!
        queue.onClusterEvent(.nodeAdded, now: at(0.1))
        queue.requeue(attempt.key, rejectedBy: [.nodeAffinity], now: at(0.2))
        #expect(queue.location(of: attempt.key) == .backoff)
    }

    @Test func parkedPodsAreFlushedAfterFiveMinutes() {
        var queue = Queue()
        queue.add(makePod("p"), now: at(0))
        let attempt = queue.popped(at: 0)!
        queue.requeue(attempt.key, rejectedBy: [.nodeAffinity], now: at(0))
        #expect(queue.waitUntil(at: 1) == .some(at(30)))  // parked pods are checked every 30 s
        #expect(queue.popName(at: 270) == nil)
        #expect(queue.popName(at: 300) == nil)  // exactly 5 min is not longer than 5 min
        #expect(queue.popName(at: 330) == "p")
    }

    @Test func updatesReplaceAndDeletesRemove() {
        var queue = Queue()
        queue.add(makePod("p", cpu: "1"), now: at(0))
        queue.add(makePod("p", cpu: "2"), now: at(1))
        queue.update(makePod("q"), now: at(2))  // unknown: added
        #expect(queue.counts[.active] == 2)
        let popped = queue.popped(at: 3)!
        #expect(popped.pod.spec?.containers?.first?.resources?.requests?["cpu"] == "2")
        #expect(popped.timestamp == at(0))
        queue.delete(PodKey(namespace: "default", name: "q"))
        #expect(queue.waitUntil(at: 3) == .some(nil))
        // A pod deleted while in flight is not requeued.
        queue.delete(popped.key)
        queue.requeue(popped.key, rejectedBy: [.nodeResourcesFit], now: at(4))
        #expect(queue.location(of: popped.key) == nil)
    }

    @Test func priorityUpdatesReorderTheActiveQueue() {
        var queue = Queue()
        queue.add(makePod("a"), now: at(0))
        queue.add(makePod("b"), now: at(1))
        queue.update(makePod("b", priority: 5), now: at(2))
        #expect(queue.popName(at: 3) == "b")
        #expect(queue.popName(at: 3) == "a")
        #expect(queue.popName(at: 3) == nil)
    }

    @Test func aSpecUpdateRequeuesAParkedPod() {
        var queue = Queue()
        queue.add(makePod("p", cpu: "8"), now: at(0))
        let attempt = queue.popped(at: 0)!
        queue.requeue(attempt.key, rejectedBy: [.nodeResourcesFit], now: at(0))
        var relabeled = makePod("p", cpu: "8")
        relabeled.metadata?.annotations = ["note": "x"]
        queue.update(relabeled, now: at(2))
        #expect(queue.location(of: attempt.key) == .unschedulable)
        queue.update(makePod("p", cpu: "1"), now: at(3))
        #expect(queue.location(of: attempt.key) == .active)
    }

    @Test func anUpdateDuringTheAttemptRetriesSoon() {
        var queue = Queue()
        queue.add(makePod("p", cpu: "8"), now: at(0))
        let attempt = queue.popped(at: 0)!
        queue.update(makePod("p", cpu: "1"), now: at(0.1))
        queue.requeue(attempt.key, rejectedBy: [.nodeResourcesFit], now: at(0.2))
        #expect(queue.location(of: attempt.key) == .backoff)
        #expect(queue.popped(at: 1.2)?.pod.spec?.containers?.first?.resources?.requests?["cpu"] == "1")
    }

    @Test func doneRemovesTheScheduledPod() {
        var queue = Queue()
        queue.add(makePod("p"), now: at(0))
        let attempt = queue.popped(at: 0)!
        #expect(queue.location(of: attempt.key) == .inFlight)
        queue.done(attempt.key)
        #expect(queue.location(of: attempt.key) == nil)
        #expect(queue.schedulingCycle == 1)
    }

    @Test func gatedPodsWaitForTheirGatesToBeLifted() {
        var queue = Queue()
        let gated = makePod("p") { $0.schedulingGates = [PodSchedulingGate(name: "example.com/wait")] }
        queue.add(gated, now: at(0))
        #expect(queue.location(of: PodKey(gated)) == .unschedulable)
        queue.onClusterEvent(.nodeAdded, now: at(1))
        #expect(queue.popName(at: 400) == nil)
        #expect(queue.popName(at: 800) == nil)
        queue.update(makePod("p"), now: at(801))
        #expect(queue.popName(at: 801) == "p")
    }

    @Test func onlyNodeChangesFiltersReadAreEvents() {
        let node = makeNode("n1", labels: ["zone": "a"])
        var heartbeat = node
        heartbeat.status?.conditions = [NodeCondition(status: "True", type: "Ready")]
        #expect(ClusterEvent.nodeUpdate(from: node, to: heartbeat) == nil)
        #expect(ClusterEvent.nodeUpdate(from: node, to: makeNode("n1", labels: ["zone": "b"])) == .nodeUpdated)
        #expect(ClusterEvent.nodeUpdate(from: node, to: makeNode("n1", labels: ["zone": "a"], unschedulable: true)) == .nodeUpdated)
        #expect(ClusterEvent.nodeUpdate(from: node, to: makeNode("n1", cpu: "8", labels: ["zone": "a"])) == .nodeUpdated)
    }
}
