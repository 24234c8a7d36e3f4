import APIModel
import Controllers
import Foundation
import Testing

@Suite("DaemonSet plan")
struct DaemonSetPlanTests {
    typealias F = DaemonFixtures
    private let nodes = [F.node("n1"), F.node("n2"), F.node("n3")]

    private func plan(_ daemonSet: DaemonSet, nodes: [Node]? = nil, _ pods: [Pod], burst: Int = 250) -> DaemonSetPlan {
        DaemonSetPlan(daemonSet: daemonSet, nodes: nodes ?? self.nodes, pods: pods, hash: "new", now: F.now, burst: burst)
    }

    private func plan(_ pods: [Pod], burst: Int = 250) -> DaemonSetPlan {
        plan(F.daemonSet(), pods, burst: burst)
    }

    @Test("A pod is created on every eligible node without one, at most burst")
    func creates() {
        #expect(plan([]).createOn == ["n1", "n2", "n3"])
        #expect(plan([F.pod("a", node: "n2")]).createOn == ["n1", "n3"])
        #expect(plan([], burst: 2).createOn == ["n1", "n2"])
        let selective = F.daemonSet(nodeSelector: ["role": "edge"])
        #expect(plan(selective, nodes: [F.node("n1", labels: ["role": "edge"]), F.node("n2")], []).createOn == ["n1"])
    }

    @Test("A node with a pod being deleted or not yet scheduled gets no second one; a finished pod going does not count")
    func pendingPods() {
        let result = plan([F.pod("a", node: "n1", deleting: true), F.pod("b", node: "n2", scheduled: false), F.pod("c", node: "n3")])
        #expect(result.createOn.isEmpty)
        #expect(result.delete.isEmpty)
        let finished = plan([F.pod("a", node: "n1", phase: "Failed", deleting: true), F.pod("b", node: "n2"), F.pod("c", node: "n3")])
        #expect(finished.createOn == ["n1"])
        #expect(finished.delete.isEmpty)
    }

    @Test("Surplus pods on a node go, keeping the scheduled then oldest one")
    func surplus() {
        let result = plan([F.pod("old", node: "n1", age: 500), F.pod("young", node: "n1", age: 10),
                           F.pod("unscheduled", node: "n1", age: 900, scheduled: false), F.pod("b", node: "n2"), F.pod("c", node: "n3")])
        #expect(F.names(result.delete) == ["unscheduled", "young"])
    }

    @Test("Pods on ineligible, evicting or removed nodes are deleted; NoSchedule alone keeps them")
    func misscheduled() {
        let daemonSet = F.daemonSet(nodeSelector: ["role": "edge"])
        let nodes = [F.node("n1", labels: ["role": "edge"]), F.node("n2"),
                     F.node("n3", labels: ["role": "edge"], taints: [F.taint("x", "NoExecute")]),
                     F.node("n4", labels: ["role": "edge"], taints: [F.taint("x", "NoSchedule")])]
        let pods = [F.pod("a", node: "n1"), F.pod("b", node: "n2"), F.pod("c", node: "n3"), F.pod("d", node: "n4"),
                    F.pod("e", node: "gone"), F.pod("f", node: "n2", deleting: true)]
        let result = plan(daemonSet, nodes: nodes, pods)
        #expect(F.names(result.delete) == ["b", "c", "e"])
        #expect(result.createOn.isEmpty)
    }

    @Test("Failed and Succeeded pods are deleted (Failed ones reported); their node gets a new pod next time")
    func finishedPods() {
        let result = plan([F.pod("a", node: "n1", phase: "Failed"), F.pod("b", node: "n2", phase: "Succeeded"), F.pod("c", node: "n3")])
        #expect(F.names(result.delete) == ["a", "b"])
        #expect(F.names(result.failed) == ["a"])
        #expect(result.createOn.isEmpty)
    }

    @Test("With maxSurge an old and a new pod share a node until the new one is available")
    func surgeSharing() {
        let daemonSet = F.daemonSet(maxUnavailable: 0, maxSurge: 1)
        let waiting = plan(daemonSet, [F.pod("old", node: "n1", hash: "old"), F.pod("new", node: "n1", readyFor: nil, age: 5),
                                       F.pod("b", node: "n2"), F.pod("c", node: "n3")])
        #expect(waiting.delete.isEmpty)
        let ready = plan(daemonSet, [F.pod("old", node: "n1", hash: "old"), F.pod("new", node: "n1", readyFor: 5, age: 5),
                                     F.pod("b", node: "n2"), F.pod("c", node: "n3")])
        #expect(F.names(ready.delete) == ["old"])
    }
}

@Suite("DaemonSet rolling update")
struct DaemonRollingUpdateTests {
    typealias F = DaemonFixtures

    private func nodes(_ count: Int) -> [Node] { (1...count).map { F.node("n\($0)") } }

    private func step(_ daemonSet: DaemonSet, nodes: [Node], _ pods: [Pod]) -> DaemonSetPlan {
        DaemonSetPlan(daemonSet: daemonSet, nodes: nodes, pods: pods, hash: "new", now: F.now)
    }

    @Test("maxUnavailable limits how many available old pods go at once", arguments: [
        (IntOrString.int(1), 3, 1), (.int(2), 3, 2), (.string("50%"), 4, 2), (.string("10%"), 4, 1), (.int(0), 3, 1),
    ])
    func maxUnavailable(limit: IntOrString, count: Int, expected: Int) {
        let pods = (1...count).map { F.pod("p\($0)", node: "n\($0)", hash: "old") }
        let result = step(F.daemonSet(maxUnavailable: limit), nodes: nodes(count), pods)
        #expect(result.delete.count == expected)
        #expect(result.createOn.isEmpty)
    }

    @Test("Rolling one at a time: an unavailable new pod or an empty node uses up the budget")
    func oneAtATime() {
        let daemonSet = F.daemonSet()
        let notReady = step(daemonSet, nodes: nodes(3), [F.pod("a", node: "n1", readyFor: nil),
                                                         F.pod("b", node: "n2", hash: "old"), F.pod("c", node: "n3", hash: "old")])
        #expect(notReady.delete.isEmpty)
        let ready = step(daemonSet, nodes: nodes(3), [F.pod("a", node: "n1"),
                                                      F.pod("b", node: "n2", hash: "old"), F.pod("c", node: "n3", hash: "old")])
        #expect(F.names(ready.delete) == ["b"])
        let done = step(daemonSet, nodes: nodes(3), [F.pod("a", node: "n1"), F.pod("b", node: "n2"), F.pod("c", node: "n3")])
        #expect(done.delete.isEmpty && done.createOn.isEmpty)
    }

    @Test("Unavailable old pods are replaced regardless of the budget, and do not use it up (as upstream)")
    func unavailableOld() {
        let pods = [F.pod("a", node: "n1", hash: "old", readyFor: nil), F.pod("b", node: "n2", hash: "old", readyFor: nil),
                    F.pod("c", node: "n3", hash: "old")]
        #expect(F.names(step(F.daemonSet(), nodes: nodes(3), pods).delete) == ["a", "b", "c"])
        let withNewUnavailable = [F.pod("a", node: "n1", hash: "old", readyFor: nil), F.pod("b", node: "n2", readyFor: nil),
                                  F.pod("c", node: "n3", hash: "old")]
        #expect(F.names(step(F.daemonSet(), nodes: nodes(3), withNewUnavailable).delete) == ["a"])
    }

    @Test("minReadySeconds: a new pod Ready too briefly is still unavailable")
    func minReady() {
        let daemonSet = F.daemonSet(minReadySeconds: 60)
        let pods = [F.pod("a", node: "n1", readyFor: 10), F.pod("b", node: "n2", hash: "old"), F.pod("c", node: "n3", hash: "old")]
        #expect(step(daemonSet, nodes: nodes(3), pods).delete.isEmpty)
    }

    @Test("OnDelete replaces nothing")
    func onDelete() {
        let pods = (1...3).map { F.pod("p\($0)", node: "n\($0)", hash: "old") }
        let result = step(F.daemonSet(strategy: "OnDelete"), nodes: nodes(3), pods)
        #expect(result.delete.isEmpty && result.createOn.isEmpty)
    }

    @Test("maxSurge creates new pods beside available old ones, at most maxSurge at a time, and at once beside unavailable ones")
    func surge() {
        let daemonSet = F.daemonSet(maxUnavailable: 0, maxSurge: 1)
        let pods = (1...3).map { F.pod("p\($0)", node: "n\($0)", hash: "old") }
        let first = step(daemonSet, nodes: nodes(3), pods)
        #expect(first.createOn == ["n1"] && first.delete.isEmpty)
        let surging = step(daemonSet, nodes: nodes(3), pods + [F.pod("new1", node: "n1", readyFor: nil, age: 1)])
        #expect(surging.createOn.isEmpty && surging.delete.isEmpty)
        let broken = [F.pod("p1", node: "n1", hash: "old", readyFor: nil), F.pod("p2", node: "n2", hash: "old"),
                      F.pod("p3", node: "n3", hash: "old")]
        #expect(step(daemonSet, nodes: nodes(3), broken).createOn == ["n1", "n2"])
    }

    @Test("Limits scale percentages up; both zero means one unavailable")
    func limits() {
        #expect(DaemonRollingUpdate.limits(of: F.daemonSet(maxUnavailable: "25%", maxSurge: 0), desired: 5) == (2, 0))
        #expect(DaemonRollingUpdate.limits(of: F.daemonSet(maxUnavailable: 0, maxSurge: "10%"), desired: 5) == (0, 1))
        #expect(DaemonRollingUpdate.limits(of: F.daemonSet(maxUnavailable: 0, maxSurge: 0), desired: 5) == (1, 0))
        #expect(DaemonRollingUpdate.allowsSurge(F.daemonSet(maxSurge: "1%")))
        #expect(!DaemonRollingUpdate.allowsSurge(F.daemonSet()))
    }
}

@Suite("DaemonSet failed-pod backoff")
struct FailedPodBackoffTests {
    typealias F = DaemonFixtures

    @Test("Waits start at 1 s, double up to the maximum, and expire after twice the maximum")
    func backoff() {
        var backoff = FailedPodBackoff(initial: 1, maximum: 4)
        let t0 = F.now
        #expect(backoff.remaining("k", now: t0) == nil)
        backoff.next("k", now: t0)
        #expect(backoff.remaining("k", now: t0.addingTimeInterval(0.5)) == 0.5)
        #expect(backoff.remaining("k", now: t0.addingTimeInterval(1.5)) == nil)
        backoff.next("k", now: t0.addingTimeInterval(2))
        #expect(backoff.remaining("k", now: t0.addingTimeInterval(3)) == 1)
        backoff.next("k", now: t0.addingTimeInterval(5))
        backoff.next("k", now: t0.addingTimeInterval(6))
        #expect(backoff.remaining("k", now: t0.addingTimeInterval(7)) == 3)
        #expect(backoff.remaining("k", now: t0.addingTimeInterval(20)) == nil)
        backoff.next("k", now: t0.addingTimeInterval(20))
        #expect(backoff.remaining("k", now: t0.addingTimeInterval(20)) == 1)
    }

    @Test("A failed pod on a node in backoff is left alone and the plan says when to look again")
    func planHonoursBackoff() {
        let pods = [F.pod("a", node: "n1", phase: "Failed"), F.pod("b", node: "n2", phase: "Failed"), F.pod("c", node: "n3")]
        let plan = DaemonSetPlan(daemonSet: F.daemonSet(), nodes: [F.node("n1"), F.node("n2"), F.node("n3")], pods: pods,
                                 hash: "new", now: F.now) { $0 == "n1" ? 4 : nil }
        #expect(F.names(plan.delete) == ["b"])
        #expect(F.names(plan.failed) == ["b"])
        #expect(plan.retryAfter == 4)
        #expect(plan.createOn.isEmpty)
    }
}

@Suite("Pod claims")
struct PodClaimTests {
    typealias F = DaemonFixtures

    @Test("Own matching pods stay, non-matching ones are released, matching orphans adopted unless going, others ignored")
    func claim() throws {
        let daemonSet = F.daemonSet()
        var orphan = F.pod("orphan", node: "n1")
        orphan.metadata?.ownerReferences = nil
        var goingOrphan = F.pod("going", node: "n1", deleting: true)
        goingOrphan.metadata?.ownerReferences = nil
        var relabelled = F.pod("relabelled", node: "n2")
        relabelled.metadata?.labels = ["app": "debug"]
        var foreign = F.pod("foreign", node: "n3")
        foreign.metadata?.ownerReferences = [OwnerReference(kind: "DaemonSet", apiVersion: "apps/v1", controller: true,
                                                            name: "other", uid: "other-uid")]
        let claim = PodClaim([F.pod("mine", node: "n1"), orphan, goingOrphan, relabelled, foreign], owner: daemonSet,
                             selector: try LabelMatcher.from(daemonSet.spec?.selector))
        #expect(F.names(claim.owned) == ["mine", "orphan"])
        #expect(F.names(claim.adopt) == ["orphan"])
        #expect(F.names(claim.release) == ["relabelled"])
    }
}
