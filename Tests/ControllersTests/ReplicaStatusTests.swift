import APIModel
import Controllers
import Foundation
import Testing

@Suite("Replica status and expectations")
struct ReplicaStatusTests {
    typealias F = ReplicaFixtures

    @Test("Counts: replicas, fully labeled, ready, available after minReadySeconds; observedGeneration")
    func counts() {
        let pods = [
            F.pod("long-ready", readyFor: 60),
            F.pod("just-ready", readyFor: 5),
            F.pod("not-ready", readyFor: nil),
            F.pod("partly-labeled", readyFor: 100, labels: ["app": "web"]),
        ]
        let status = ReplicaStatus.calculate(for: F.replicaSet(replicas: 4, minReadySeconds: 30), pods: pods, failure: nil, now: F.now)
        #expect(status == ReplicaStatus(replicas: 4, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 2,
                                        observedGeneration: 2))
        let immediate = ReplicaStatus.calculate(for: F.replicaSet(replicas: 4), pods: pods, failure: nil, now: F.now)
        #expect(immediate.availableReplicas == 3)
    }

    @Test("A failed create sets ReplicaFailure once; a clean sync removes it")
    func failureCondition() {
        var owner = F.replicaSet(replicas: 3)
        let failed = ReplicaStatus.calculate(for: owner, pods: [F.pod("a")], failure: "quota exceeded", now: F.now)
        #expect(failed.conditions == [ReplicaCondition(type: "ReplicaFailure", status: "True", reason: "FailedCreate",
                                                       message: "quota exceeded", lastTransitionTime: Time(F.now))])
        owner.status = ReplicaSetStatus(conditions: [ReplicaSetCondition(lastTransitionTime: Time(F.now), message: "quota exceeded",
                                                                         reason: "FailedCreate", status: "True", type: "ReplicaFailure")])
        let again = ReplicaStatus.calculate(for: owner, pods: [F.pod("a")], failure: "other", now: F.now.addingTimeInterval(9))
        #expect(again.conditions == failed.conditions)
        let cleared = ReplicaStatus.calculate(for: owner, pods: [F.pod("a")], failure: nil, now: F.now)
        #expect(cleared.conditions.isEmpty)
        let surplus = ReplicaStatus.calculate(for: F.replicaSet(replicas: 0), pods: [F.pod("a")], failure: "no", now: F.now)
        #expect(surplus.conditions.first?.reason == "FailedDelete")
    }

    @Test("The status patch writes every field, removing zero counts")
    func mergePatch() throws {
        let patch = ReplicaStatus(replicas: 0, readyReplicas: 2, observedGeneration: 3).mergePatch
        #expect(patch == (try JSONValue(parsing: #"""
            {"status":{"replicas":0,"fullyLabeledReplicas":null,"readyReplicas":2,"availableReplicas":null,
                       "observedGeneration":3,"conditions":null}}
            """#)))
    }

    @Test("Expectations hold syncs back until every create and delete is observed, or they expire")
    func expectations() {
        var expectations = ControllerExpectations<String>(timeout: 300)
        let now = F.now
        #expect(expectations.satisfied("rs", now: now))
        expectations.expectCreations("rs", count: 2, now: now)
        #expect(!expectations.satisfied("rs", now: now))
        expectations.creationObserved("rs")
        #expect(!expectations.satisfied("rs", now: now))
        expectations.creationObserved("rs")
        #expect(expectations.satisfied("rs", now: now))

        expectations.expectDeletions("rs", podKeys: ["default/a", "default/b"], now: now)
        expectations.deletionObserved("rs", podKey: "default/a")
        expectations.deletionObserved("rs", podKey: "default/a")
        #expect(!expectations.satisfied("rs", now: now))
        #expect(expectations.satisfied("rs", now: now.addingTimeInterval(301)))
        expectations.deletionObserved("rs", podKey: "default/b")
        #expect(expectations.satisfied("rs", now: now))

        expectations.expectCreations("rs", count: 1, now: now)
        expectations.forget("rs")
        #expect(expectations.satisfied("rs", now: now))
    }
}
