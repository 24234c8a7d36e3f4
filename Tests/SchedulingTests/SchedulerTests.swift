import Testing
import APIModel
@testable import Scheduling

private let origin = ContinuousClock.Instant.now

private func at(_ seconds: Int) -> ContinuousClock.Instant {
    origin.advanced(by: .seconds(seconds))
}

private extension Scheduler<ContinuousClock.Instant> {
    mutating func next(at seconds: Int) -> Decision {
        var generator = SplitMix64(seed: 9)
        return scheduleNext(now: at(seconds), using: &generator)
    }
}

private func bound(_ pod: Pod, to node: String) -> Pod {
    var pod = pod
    pod.spec?.nodeName = node
    return pod
}

@Suite struct SchedulerTests {
    @Test func bindsPendingPodsAndSeesItsOwnAssumptions() {
        var scheduler = Scheduler<ContinuousClock.Instant>()
        scheduler.nodeAdded(makeNode("n1", cpu: "1"), now: at(0))
        scheduler.podAdded(makePod("a", cpu: "600m"), now: at(0))
        scheduler.podAdded(makePod("b", cpu: "600m"), now: at(0))
        guard case .bind(let pod, let node) = scheduler.next(at: 0) else {
            Issue.record("expected a binding")
            return
        }
        #expect(pod.metadata?.name == "a" && node == "n1")
        // b does not fit next to the assumed a.
        guard case .unschedulable(_, let error) = scheduler.next(at: 0) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.message == "0/1 nodes are available: 1 Insufficient cpu.")
        #expect(scheduler.queue.location(of: PodKey(namespace: "default", name: "b")) == .unschedulable)
        guard case .wait = scheduler.next(at: 0) else {
            Issue.record("expected to wait")
            return
        }
    }

    @Test func aFailedBindingFreesTheNodeAndBacksOff() {
        var scheduler = Scheduler<ContinuousClock.Instant>()
        scheduler.nodeAdded(makeNode("n1", cpu: "1"), now: at(0))
        scheduler.podAdded(makePod("a", cpu: "600m"), now: at(0))
        scheduler.podAdded(makePod("b", cpu: "600m"), now: at(0))
        _ = scheduler.next(at: 0)
        _ = scheduler.next(at: 0)
        let a = PodKey(namespace: "default", name: "a")
        let b = PodKey(namespace: "default", name: "b")
        scheduler.bindingFailed(a, now: at(1))
        #expect(scheduler.cache.nodeInfo(named: "n1")?.podCount == 0)
        #expect(scheduler.queue.location(of: a) == .backoff)
        #expect(scheduler.queue.location(of: b) == .active)  // moved by the freed resources, backoff over
        guard case .bind(let pod, _) = scheduler.next(at: 2) else {
            Issue.record("expected a binding")
            return
        }
        #expect(pod.metadata?.name == "a" || pod.metadata?.name == "b")
    }

    @Test func theWatchConfirmsBindingsAndDeletionsFreeResources() {
        var scheduler = Scheduler<ContinuousClock.Instant>()
        scheduler.nodeAdded(makeNode("n1", cpu: "1"), now: at(0))
        let a = makePod("a", cpu: "600m")
        scheduler.podAdded(a, now: at(0))
        scheduler.podAdded(makePod("b", cpu: "600m"), now: at(0))
        _ = scheduler.next(at: 0)
        scheduler.bindingSucceeded(PodKey(a))
        scheduler.podUpdated(from: a, to: bound(a, to: "n1"), now: at(1))
        #expect(!scheduler.cache.isAssumed(PodKey(a)))
        _ = scheduler.next(at: 1)  // b: unschedulable, parked
        #expect(scheduler.queue.location(of: PodKey(namespace: "default", name: "b")) == .unschedulable)
        scheduler.podDeleted(bound(a, to: "n1"), now: at(20))
        #expect(scheduler.queue.location(of: PodKey(namespace: "default", name: "b")) == .active)
        guard case .bind(let pod, "n1") = scheduler.next(at: 20) else {
            Issue.record("expected a binding")
            return
        }
        #expect(pod.metadata?.name == "b")
    }

    @Test func podsForOtherSchedulersAndFinishedPodsAreNotQueued() {
        var scheduler = Scheduler<ContinuousClock.Instant>()
        scheduler.podAdded(makePod("other") { $0.schedulerName = "my-scheduler" }, now: at(0))
        var done = makePod("done")
        done.status = PodStatus(phase: "Succeeded")
        scheduler.podAdded(done, now: at(0))
        scheduler.podAdded(makePod("mine") { $0.schedulerName = "default-scheduler" }, now: at(0))
        #expect(scheduler.queue.counts == [.active: 1])
    }

    @Test func nodeHeartbeatsDoNotWakeParkedPods() {
        var scheduler = Scheduler<ContinuousClock.Instant>()
        let node = makeNode("n1", cpu: "1")
        scheduler.nodeAdded(node, now: at(0))
        scheduler.podAdded(makePod("big", cpu: "2"), now: at(0))
        _ = scheduler.next(at: 0)
        let key = PodKey(namespace: "default", name: "big")
        var heartbeat = node
        heartbeat.status?.conditions = [NodeCondition(status: "True", type: "Ready")]
        scheduler.nodeUpdated(from: node, to: heartbeat, now: at(5))
        #expect(scheduler.queue.location(of: key) == .unschedulable)
        scheduler.nodeUpdated(from: heartbeat, to: makeNode("n1", cpu: "4"), now: at(6))
        #expect(scheduler.queue.location(of: key) == .active)
    }

    @Test func aPodDeletedDuringItsBindingIsNotRequeued() {
        var scheduler = Scheduler<ContinuousClock.Instant>()
        scheduler.nodeAdded(makeNode("n1"), now: at(0))
        let pod = makePod("p", cpu: "1")
        scheduler.podAdded(pod, now: at(0))
        guard case .bind = scheduler.next(at: 0) else {
            Issue.record("expected a binding")
            return
        }
        scheduler.podDeleted(pod, now: at(1))
        scheduler.bindingFailed(PodKey(pod), now: at(1))
        #expect(scheduler.queue.location(of: PodKey(pod)) == nil)
        #expect(scheduler.cache.podCount == 0)
        #expect(scheduler.cache.nodeInfo(named: "n1")?.requested == .zero)
    }
}
