import APIModel
import Controllers
import Foundation
import Testing

/// `StatefulSetPlan`: what a StatefulSet sync does next, without I/O.
@Suite("StatefulSet plan")
struct StatefulSetPlanTests {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    static func set(replicas: Int32, policy: String = "OrderedReady", strategy: String = "RollingUpdate",
                    partition: Int32 = 0) -> StatefulSet {
        StatefulSet(metadata: ObjectMeta(generation: 2, name: "web", namespace: "default", uid: "sts-uid"),
                    spec: StatefulSetSpec(podManagementPolicy: policy, replicas: replicas,
                                          selector: LabelSelector(matchLabels: ["app": "web"]), serviceName: "nginx",
                                          template: PodTemplateSpec(metadata: ObjectMeta(labels: ["app": "web"]),
                                                                    spec: PodSpec(containers: [Container(image: "nginx:1", name: "c")])),
                                          updateStrategy: StatefulSetUpdateStrategy(
                                              rollingUpdate: strategy == "RollingUpdate" ? RollingUpdateStatefulSetStrategy(partition: partition) : nil,
                                              type: strategy)))
    }

    /// Pod `web-<ordinal>` at `revision`, Running and Ready unless said otherwise.
    static func pod(_ ordinal: Int, revision: String = "old", ready: Bool = true, phase: String = "Running",
                    deleting: Bool = false) -> Pod {
        var pod = StatefulPodIdentity.pod(for: set(replicas: 0), ordinal: ordinal, template: set(replicas: 0).spec?.template, hash: revision)
        pod.metadata?.uid = "uid-\(ordinal)"
        pod.metadata?.deletionTimestamp = deleting ? Time(now) : nil
        pod.status = PodStatus(conditions: [PodCondition(lastTransitionTime: Time(now.addingTimeInterval(-100)),
                                                         status: ready ? "True" : "False", type: "Ready")], phase: phase)
        return pod
    }

    static func plan(_ set: StatefulSet, _ pods: [Pod], current: String = "old", update: String = "old") -> StatefulSetPlan {
        StatefulSetPlan(set: set, pods: pods, currentRevision: current, updateRevision: update, now: now)
    }

    static func names(_ pods: [Pod]) -> [String] { pods.compactMap { $0.metadata?.name } }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let set: StatefulSet
        let pods: [Pod]
        var current = "old"
        var update = "old"
        let create: [Int]
        let delete: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "OrderedReady creates web-0 first", set: set(replicas: 3), pods: [], create: [0], delete: []),
        Case(name: "OrderedReady creates the next once lower ones are ready", set: set(replicas: 3), pods: [pod(0)],
             create: [1], delete: []),
        Case(name: "OrderedReady waits for a lower pod not ready", set: set(replicas: 3), pods: [pod(0, ready: false)],
             create: [], delete: []),
        Case(name: "OrderedReady waits for a lower pod pending", set: set(replicas: 3), pods: [pod(0, phase: "Pending")],
             create: [], delete: []),
        Case(name: "a deleted pod is recreated under its name", set: set(replicas: 3), pods: [pod(0), pod(2)],
             create: [1], delete: []),
        Case(name: "a failed pod is deleted to be recreated", set: set(replicas: 2), pods: [pod(0, phase: "Failed"), pod(1)],
             create: [], delete: ["web-0"]),
        Case(name: "OrderedReady scales down from the highest, one at a time", set: set(replicas: 1),
             pods: [pod(0), pod(1), pod(2)], create: [], delete: ["web-2"]),
        Case(name: "OrderedReady waits while a condemned pod terminates", set: set(replicas: 1),
             pods: [pod(0), pod(1), pod(2, deleting: true)], create: [], delete: []),
        Case(name: "OrderedReady does not scale down while a lower condemned pod is unhealthy", set: set(replicas: 1),
             pods: [pod(0), pod(1, ready: false), pod(2)], create: [], delete: []),
        Case(name: "OrderedReady scales down the only unhealthy pod", set: set(replicas: 1),
             pods: [pod(0), pod(1), pod(2, ready: false)], create: [], delete: ["web-2"]),
        Case(name: "Parallel creates all at once", set: set(replicas: 3, policy: "Parallel"), pods: [],
             create: [0, 1, 2], delete: []),
        Case(name: "Parallel creates past an unready pod", set: set(replicas: 3, policy: "Parallel"), pods: [pod(0, ready: false)],
             create: [1, 2], delete: []),
        Case(name: "Parallel scales down all at once", set: set(replicas: 1, policy: "Parallel"),
             pods: [pod(0), pod(1), pod(2, ready: false)], create: [], delete: ["web-2", "web-1"]),
        Case(name: "RollingUpdate deletes the highest old pod first", set: set(replicas: 3), pods: [pod(0), pod(1), pod(2)],
             update: "new", create: [], delete: ["web-2"]),
        Case(name: "RollingUpdate goes on once the updated pod is ready", set: set(replicas: 3),
             pods: [pod(0), pod(1), pod(2, revision: "new")], update: "new", create: [], delete: ["web-1"]),
        Case(name: "RollingUpdate waits for the updated pod", set: set(replicas: 3),
             pods: [pod(0), pod(1), pod(2, revision: "new", ready: false)], update: "new", create: [], delete: []),
        Case(name: "RollingUpdate stops at the partition", set: set(replicas: 3, partition: 1),
             pods: [pod(0), pod(1, revision: "new"), pod(2, revision: "new")], update: "new", create: [], delete: []),
        Case(name: "RollingUpdate above the partition", set: set(replicas: 3, partition: 1),
             pods: [pod(0), pod(1), pod(2, revision: "new")], update: "new", create: [], delete: ["web-1"]),
        Case(name: "OnDelete never deletes for an update", set: set(replicas: 3, strategy: "OnDelete"),
             pods: [pod(0), pod(1), pod(2)], update: "new", create: [], delete: []),
    ]

    @Test("creates and deletes", arguments: cases)
    func decisions(_ test: Case) {
        let plan = Self.plan(test.set, test.pods, current: test.current, update: test.update)
        #expect(plan.create.map(\.ordinal) == test.create)
        #expect(Self.names(plan.delete) == test.delete)
    }

    @Test("New pods below the partition keep the current revision; OnDelete recreates at the update revision")
    func revisionOfNewPods() {
        let partitioned = Self.plan(Self.set(replicas: 3, policy: "Parallel", partition: 2), [], update: "new")
        #expect(partitioned.create.map(\.atUpdateRevision) == [false, false, true])
        let onDelete = Self.plan(Self.set(replicas: 2, policy: "Parallel", strategy: "OnDelete"), [], update: "new")
        #expect(onDelete.create.map(\.atUpdateRevision) == [true, true])
    }

    @Test("Status counts; a finished RollingUpdate makes the update revision current")
    func status() {
        let rolling = Self.plan(Self.set(replicas: 3), [Self.pod(0), Self.pod(1, revision: "new"), Self.pod(2, revision: "new", ready: false)],
                                update: "new").status
        #expect(rolling.replicas == 3 && rolling.readyReplicas == 2 && rolling.availableReplicas == 2)
        #expect(rolling.currentReplicas == 1 && rolling.updatedReplicas == 2)
        #expect(rolling.currentRevision == "old" && rolling.updateRevision == "new" && rolling.observedGeneration == 2)
        let done = Self.plan(Self.set(replicas: 2), [Self.pod(0, revision: "new"), Self.pod(1, revision: "new")], update: "new").status
        #expect(done.currentRevision == "new" && done.currentReplicas == 2 && done.updatedReplicas == 2)
    }

    @Test("Pod identity: name, hostname, subdomain, labels, controller reference")
    func identity() {
        let set = Self.set(replicas: 1)
        let pod = StatefulPodIdentity.pod(for: set, ordinal: 4, template: set.spec?.template, hash: "web-abc")
        #expect(pod.metadata?.name == "web-4" && pod.metadata?.generateName == nil)
        #expect(pod.spec?.hostname == "web-4" && pod.spec?.subdomain == "nginx")
        #expect(pod.metadata?.labels == ["app": "web", "statefulset.kubernetes.io/pod-name": "web-4",
                                         "apps.kubernetes.io/pod-index": "4", "controller-revision-hash": "web-abc"])
        #expect(pod.controllerReference?.uid == "sts-uid" && pod.controllerReference?.kind == "StatefulSet")
        #expect(StatefulPodIdentity.ordinal(of: pod, in: set) == 4)
        var other = pod
        other.metadata?.name = "web-x1"
        #expect(StatefulPodIdentity.ordinal(of: other, in: set) == nil)
    }

    @Test("A revision's stored template reads back (the current revision's pods are made from it)")
    func revisionTemplate() {
        let set = Self.set(replicas: 1)
        let revision = DaemonRevision.make(owner: set, template: set.spec?.template, collisionCount: nil, revision: 1)
        #expect(revision.metadata?.name == "web-\(DaemonRevision.hash(of: set.spec?.template, collisionCount: nil))")
        #expect(DaemonRevision.template(of: revision) == set.spec?.template)
    }
}
