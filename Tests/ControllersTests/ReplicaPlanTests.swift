import APIModel
import Controllers
import Foundation
import Testing

/// Fixtures for the replica controller's pure parts.
enum ReplicaFixtures {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)
    static let labels = ["app": "web", "tier": "front"]

    static func replicaSet(replicas: Int32, minReadySeconds: Int32? = nil, deleting: Bool = false) -> ReplicaSet {
        ReplicaSet(metadata: ObjectMeta(deletionTimestamp: deleting ? Time(now) : nil, generation: 2, name: "web",
                                        namespace: "default", uid: "rs-uid"),
                   spec: ReplicaSetSpec(minReadySeconds: minReadySeconds, replicas: replicas,
                                        selector: LabelSelector(matchLabels: ["app": "web"]),
                                        template: PodTemplateSpec(metadata: ObjectMeta(annotations: ["note": "x"], labels: labels),
                                                                  spec: PodSpec(containers: [Container(image: "busybox:1.36", name: "a")]))))
    }

    /// A pod of the fixture ReplicaSet (or another owner, or none), `age` seconds old, Ready `readyFor` seconds.
    static func pod(_ name: String, node: String? = "n1", phase: String = "Running", readyFor: TimeInterval? = 1000,
                    age: TimeInterval = 1000, owner: String? = "rs-uid", labels: [String: String] = labels,
                    restarts: Int32 = 0, cost: Int? = nil, deleting: Bool = false) -> Pod {
        let references = owner.map { [OwnerReference(kind: "ReplicaSet", apiVersion: "apps/v1", controller: true, name: "web", uid: $0)] }
        var conditions: [PodCondition] = []
        if let readyFor {
            conditions.append(PodCondition(lastTransitionTime: Time(now.addingTimeInterval(-readyFor)), status: "True", type: "Ready"))
        } else {
            conditions.append(PodCondition(status: "False", type: "Ready"))
        }
        return Pod(metadata: ObjectMeta(annotations: cost.map { ["controller.kubernetes.io/pod-deletion-cost": String($0)] },
                                        creationTimestamp: Time(now.addingTimeInterval(-age)),
                                        deletionTimestamp: deleting ? Time(now) : nil, labels: labels, name: name,
                                        namespace: "default", ownerReferences: references, resourceVersion: "1", uid: "uid-\(name)"),
                   spec: PodSpec(containers: [Container(image: "busybox:1.36", name: "a")], nodeName: node),
                   status: PodStatus(conditions: conditions,
                                     containerStatuses: [ContainerStatus(name: "a", restartCount: restarts)], phase: phase))
    }
}

@Suite("Replica plan")
struct ReplicaPlanTests {
    typealias F = ReplicaFixtures

    private func plan(_ owner: ReplicaSet, _ pods: [Pod], related: [Pod] = [], manage: Bool = true,
                      burst: Int = 500) throws -> ReplicaPlan {
        try ReplicaPlan(owner: owner, candidates: pods, related: related, manage: manage, burstReplicas: burst, now: F.now)
    }

    @Test("Scaling up creates the missing pods, at most burstReplicas, and nothing while expectations are pending",
          arguments: [(3, 1, true, 500, 2), (3, 3, true, 500, 0), (10, 0, true, 4, 4), (3, 1, false, 500, 0), (0, 0, true, 500, 0)])
    func scaleUp(replicas: Int32, existing: Int, manage: Bool, burst: Int, expected: Int) throws {
        let pods = (0..<existing).map { F.pod("p\($0)") }
        let plan = try plan(F.replicaSet(replicas: replicas), pods, manage: manage, burst: burst)
        #expect(plan.create == expected)
        #expect(plan.delete.isEmpty)
        #expect(plan.pods.count == existing)
    }

    @Test("Scaling down deletes unscheduled, then pending, then not ready, then newer-ready pods first")
    func scaleDownOrder() throws {
        let pods = [
            F.pod("old-ready", readyFor: 100_000, age: 200_000),
            F.pod("pending", phase: "Pending", readyFor: nil),
            F.pod("new-ready", readyFor: 10, age: 200_000),
            F.pod("unscheduled", node: nil, phase: "Pending", readyFor: nil),
            F.pod("not-ready", readyFor: nil),
        ]
        let plan = try plan(F.replicaSet(replicas: 0), pods)
        #expect(plan.delete.map { $0.metadata?.name } == ["unscheduled", "pending", "not-ready", "new-ready", "old-ready"])
        #expect(plan.create == 0)
        let one = try self.plan(F.replicaSet(replicas: 4), pods)
        #expect(one.delete.map { $0.metadata?.name } == ["unscheduled"])
    }

    @Test("Ties go by deletion cost, doubled-up nodes, restarts, then newer creation", arguments: [
        // (first, second, expected first to go)
        ("cheap", "dear", "cheap"),
        ("crowded", "alone", "crowded"),
        ("restarted", "steady", "restarted"),
        ("young", "old", "young"),
    ])
    func tieBreaks(a: String, b: String, expected: String) throws {
        let pods: [String: Pod] = [
            "cheap": F.pod("cheap", node: "n2", cost: -5), "dear": F.pod("dear", node: "n3", cost: 10),
            "crowded": F.pod("crowded", node: "n1"), "alone": F.pod("alone", node: "n2"),
            "restarted": F.pod("restarted", node: "n2", restarts: 3), "steady": F.pod("steady", node: "n3"),
            "young": F.pod("young", node: "n2", age: 10), "old": F.pod("old", node: "n3", age: 100_000),
        ]
        // A pod on n1 beside "crowded" makes it doubled up (it is kept, being the dearest). The related pods are
        // those of the sibling ReplicaSets of a Deployment.
        let companion = F.pod("companion", node: "n1", readyFor: 10_000_000, age: 10_000_000, cost: 100)
        let candidates = [pods[a]!, pods[b]!, companion]
        let plan = try plan(F.replicaSet(replicas: 2), candidates, related: candidates)
        #expect(plan.delete.map { $0.metadata?.name } == [expected])
        let reversed = try self.plan(F.replicaSet(replicas: 2), candidates.reversed(), related: candidates)
        #expect(reversed.delete.map { $0.metadata?.name } == [expected])
    }

    @Test("Orphans that match are adopted, owned pods that stop matching released, others' pods and inactive pods ignored")
    func claims() throws {
        let pods = [
            F.pod("mine"),
            F.pod("orphan", owner: nil),
            F.pod("stray-orphan", owner: nil, labels: ["app": "db"]),
            F.pod("relabelled", labels: ["app": "other"]),
            F.pod("foreign", owner: "other-uid"),
            F.pod("done", phase: "Succeeded"),
            F.pod("failed", phase: "Failed"),
            F.pod("going", deleting: true),
            F.pod("orphan-going", owner: nil, deleting: true),
        ]
        let plan = try plan(F.replicaSet(replicas: 2), pods)
        #expect(plan.adopt.map { $0.metadata?.name } == ["orphan"])
        #expect(plan.release.map { $0.metadata?.name } == ["relabelled"])
        #expect(plan.pods.map { $0.metadata?.name } == ["mine", "orphan"])
        #expect(plan.create == 0 && plan.delete.isEmpty)

        // An owner being deleted adopts, releases, creates and deletes nothing.
        let deleting = try self.plan(F.replicaSet(replicas: 5, deleting: true), pods)
        #expect(deleting.adopt.isEmpty && deleting.release.isEmpty && deleting.create == 0 && deleting.delete.isEmpty)
        #expect(deleting.pods.map { $0.metadata?.name } == ["mine"])
    }

    @Test("Related pods: those of every owner with the same controller, each once; none without a controller")
    func relatedPods() {
        let deployment = OwnerReference(kind: "Deployment", apiVersion: "apps/v1", controller: true, name: "d", uid: "d-uid")
        var current = F.replicaSet(replicas: 1)
        current.metadata?.ownerReferences = [deployment]
        var previous = F.replicaSet(replicas: 1)
        previous.metadata?.name = "web-old"
        previous.metadata?.uid = "old-uid"
        previous.metadata?.ownerReferences = [deployment]
        previous.spec?.selector = LabelSelector(matchLabels: ["tier": "front"])
        var unrelated = F.replicaSet(replicas: 1)
        unrelated.metadata?.uid = "other"
        unrelated.spec?.selector = LabelSelector(matchLabels: ["app": "db"])
        let pods = [F.pod("a"), F.pod("b", owner: "old-uid", labels: ["tier": "front"]), F.pod("db", labels: ["app": "db"])]
        let related = ReplicaPlan.relatedPods(of: current, owners: [current, previous, unrelated], candidates: pods)
        #expect(related.map { $0.metadata?.name } == ["a", "b"])
        #expect(ReplicaPlan.relatedPods(of: unrelated, owners: [current, previous, unrelated], candidates: pods).isEmpty)
    }

    @Test("A ReplicationController's map selector claims the same way")
    func replicationControllerSelector() throws {
        let rc = ReplicationController(metadata: ObjectMeta(name: "web", namespace: "default", uid: "rc-uid"),
                                       spec: ReplicationControllerSpec(replicas: 3, selector: ["app": "web"],
                                                                       template: PodTemplateSpec(metadata: ObjectMeta(labels: F.labels))))
        var owned = F.pod("mine", owner: "rc-uid")
        owned.metadata?.ownerReferences?[0].kind = "ReplicationController"
        let plan = try ReplicaPlan(owner: rc, candidates: [owned, F.pod("orphan", owner: nil), F.pod("rs-pod")],
                                   manage: true, now: F.now)
        #expect(plan.adopt.map { $0.metadata?.name } == ["orphan"])
        #expect(plan.pods.count == 2)
        #expect(plan.create == 1)
        let pod = rc.newPod()
        #expect(pod.metadata?.generateName == "web-")
        #expect(pod.metadata?.ownerReferences == [OwnerReference(kind: "ReplicationController", apiVersion: "v1",
                                                                 blockOwnerDeletion: true, controller: true, name: "web", uid: "rc-uid")])
    }

    @Test("A pod from the template carries its labels, annotations and spec")
    func podFromTemplate() {
        let owner = F.replicaSet(replicas: 1)
        let pod = owner.newPod()
        #expect(pod.metadata?.generateName == "web-")
        #expect(pod.metadata?.name == nil)
        #expect(pod.metadata?.namespace == "default")
        #expect(pod.metadata?.labels == F.labels)
        #expect(pod.metadata?.annotations == ["note": "x"])
        #expect(pod.metadata?.ownerReferences?.first?.controller == true)
        #expect(pod.metadata?.ownerReferences?.first?.blockOwnerDeletion == true)
        #expect(pod.spec == owner.spec?.template?.spec)
    }
}
