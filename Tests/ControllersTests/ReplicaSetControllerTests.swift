import APIClient
import APIModel
import ControllerRuntime
import Controllers
import Foundation
import Scheduling
import SimulatedNodes
import Testing
import TestSupport

/// The ReplicaSet and ReplicationController controllers against the API, with the scheduler and simulated nodes
/// running the pods they create.
@Suite("ReplicaSet controller")
struct ReplicaSetControllerTests {
    private let template = PodTemplateSpec(metadata: ObjectMeta(labels: ["app": "web"]),
                                           spec: PodSpec(containers: [Container(image: "busybox:1.36", name: "a")]))

    private func running(_ cluster: InProcessCluster, _ body: (KubernetesClient) async throws -> Void) async throws {
        let client = cluster.client
        let pods = Informer<Pod>(client: client)
        let nodes = Informer<Node>(client: client)
        let scheduler = SchedulerService(client: client, pods: pods, nodes: nodes)
        let simulator = NodeSimulator(client: client, configuration: .init(count: 2, shape: SimulatedNodeShape(cpu: "8")))
        let replicaSets = ReplicaSetController(client: client, pods: pods)
        let replicationControllers = ReplicationControllerController(client: client, pods: pods)
        let task = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await pods.run() }
                group.addTask { await nodes.run() }
                group.addTask { await scheduler.run() }
                group.addTask { try? await simulator.run() }
                group.addTask { await replicaSets.run() }
                group.addTask { await replicationControllers.run() }
            }
        }
        defer { task.cancel() }
        try await eventually("two nodes") { try await client.listItems(Node.self).items.count == 2 }
        try await body(client)
    }

    /// The active pods controlled by the owner with `uid`.
    private func pods(of uid: String?, _ client: KubernetesClient) async throws -> [Pod] {
        try await client.listItems(Pod.self, namespace: "default").items.filter {
            $0.controllerReference?.uid == uid && $0.isActive
        }
    }

    private func scale(_ resource: ResourcePath, _ name: String, to replicas: Int, _ client: KubernetesClient) async throws {
        let response = try await client.request(method: "PATCH", path: resource.object(name, namespace: "default") + "/scale",
                                                body: Data(#"{"spec":{"replicas":\#(replicas)}}"#.utf8),
                                                contentType: "application/merge-patch+json")
        #expect(response.isSuccess)
    }

    private func events(_ reason: String, _ client: KubernetesClient) async throws -> [Event] {
        try await client.listItems(Event.self, namespace: "default").items.filter { $0.reason == reason }
    }

    @Test("A ReplicaSet adopts an orphan, reaches its replicas ready, scales up and down, replaces and releases pods; GC takes its pods")
    func replicaSetLifecycle() async throws {
        try await InProcessCluster.with { cluster in
            try await running(cluster) { client in
                _ = try await client.create(Pod(metadata: ObjectMeta(labels: ["app": "web"], name: "orphan", namespace: "default"),
                                                spec: template.spec))
                let created = try await client.create(ReplicaSet(
                    metadata: ObjectMeta(name: "web", namespace: "default"),
                    spec: ReplicaSetSpec(replicas: 3, selector: LabelSelector(matchLabels: ["app": "web"]), template: template)))
                let uid = created.metadata?.uid
                try await eventually("3 ready replicas", timeout: .seconds(20)) {
                    let status = try await client.get(ReplicaSet.self, name: "web", namespace: "default").status
                    return status?.readyReplicas == 3 && status?.availableReplicas == 3 && status?.replicas == 3
                        && status?.fullyLabeledReplicas == 3 && status?.observedGeneration == created.metadata?.generation
                }
                let owned = try await pods(of: uid, client)
                #expect(owned.count == 3)
                #expect(owned.contains { $0.metadata?.name == "orphan" }, "the orphan is adopted")
                #expect(owned.filter { $0.metadata?.name != "orphan" }.allSatisfy { $0.metadata?.name?.hasPrefix("web-") == true })
                #expect(owned.allSatisfy { $0.controllerReference?.blockOwnerDeletion == true })
                try await eventually("2 SuccessfulCreate events") { try await events("SuccessfulCreate", client).count == 2 }

                try await scale(.replicasets, "web", to: 5, client)
                try await eventually("5 ready replicas", timeout: .seconds(20)) {
                    try await client.get(ReplicaSet.self, name: "web", namespace: "default").status?.readyReplicas == 5
                }
                #expect(try await pods(of: uid, client).count == 5, "never more pods than replicas")

                try await scale(.replicasets, "web", to: 1, client)
                try await eventually("1 replica", timeout: .seconds(20)) {
                    let status = try await client.get(ReplicaSet.self, name: "web", namespace: "default").status
                    return try await pods(of: uid, client).count == 1 && status?.replicas == 1 && status?.readyReplicas == 1
                }
                try await eventually("4 SuccessfulDelete events") { try await events("SuccessfulDelete", client).count == 4 }

                // A deleted pod is replaced.
                let survivor = try #require(try await pods(of: uid, client).first?.metadata?.name)
                try await client.delete(Pod.self, name: survivor, namespace: "default")
                try await eventually("a replacement ready", timeout: .seconds(20)) {
                    let current = try await pods(of: uid, client)
                    return current.count == 1 && current[0].metadata?.name != survivor && current[0].isReady
                }

                // A pod relabelled out of the selector is released and replaced.
                let relabelled = try #require(try await pods(of: uid, client).first?.metadata?.name)
                _ = try await client.patch(Pod.self, name: relabelled, namespace: "default",
                                           mergePatch: Data(#"{"metadata":{"labels":{"app":"debug"}}}"#.utf8))
                try await eventually("the pod released and replaced", timeout: .seconds(20)) {
                    let released = try await client.get(Pod.self, name: relabelled, namespace: "default")
                    let current = try await pods(of: uid, client)
                    return (released.metadata?.ownerReferences ?? []).isEmpty && current.count == 1
                        && current[0].metadata?.name != relabelled
                }

                // Deleting the ReplicaSet deletes its pods (the garbage collector), not the released one.
                try await client.delete(ReplicaSet.self, name: "web", namespace: "default")
                try await eventually("its pods gone", timeout: .seconds(20)) {
                    try await client.listItems(Pod.self, namespace: "default").items.allSatisfy { $0.controllerReference?.uid != uid }
                }
                #expect(try await client.get(Pod.self, name: relabelled, namespace: "default").metadata?.deletionTimestamp == nil)
            }
        }
    }

    @Test("Ready pods count as available only minReadySeconds after they became Ready")
    func minReadySeconds() async throws {
        try await InProcessCluster.with { cluster in
            try await running(cluster) { client in
                _ = try await client.create(ReplicaSet(
                    metadata: ObjectMeta(name: "slow", namespace: "default"),
                    spec: ReplicaSetSpec(minReadySeconds: 4, replicas: 2, selector: LabelSelector(matchLabels: ["app": "web"]),
                                         template: template)))
                try await eventually("2 ready replicas", timeout: .seconds(20)) {
                    try await client.get(ReplicaSet.self, name: "slow", namespace: "default").status?.readyReplicas == 2
                }
                let early = try await client.get(ReplicaSet.self, name: "slow", namespace: "default").status
                #expect((early?.availableReplicas ?? 0) < 2)
                // The controller looks again minReadySeconds after the pods became Ready.
                try await eventually("2 available replicas", timeout: .seconds(20)) {
                    try await client.get(ReplicaSet.self, name: "slow", namespace: "default").status?.availableReplicas == 2
                }
            }
        }
    }

    @Test("A ReplicationController keeps its replicas, scales, and its pods go with it")
    func replicationController() async throws {
        try await InProcessCluster.with { cluster in
            try await running(cluster) { client in
                let created = try await client.create(ReplicationController(
                    metadata: ObjectMeta(name: "legacy", namespace: "default"),
                    spec: ReplicationControllerSpec(replicas: 2, selector: ["app": "web"], template: template)))
                let uid = created.metadata?.uid
                try await eventually("2 ready replicas", timeout: .seconds(20)) {
                    let status = try await client.get(ReplicationController.self, name: "legacy", namespace: "default").status
                    return status?.readyReplicas == 2 && status?.availableReplicas == 2
                }
                let owned = try await pods(of: uid, client)
                #expect(owned.count == 2)
                #expect(owned.allSatisfy { $0.controllerReference?.kind == "ReplicationController" && $0.metadata?.generateName == "legacy-" })

                try await scale(.replicationcontrollers, "legacy", to: 3, client)
                try await eventually("3 ready replicas", timeout: .seconds(20)) {
                    try await client.get(ReplicationController.self, name: "legacy", namespace: "default").status?.readyReplicas == 3
                }
                try await scale(.replicationcontrollers, "legacy", to: 1, client)
                try await eventually("1 replica", timeout: .seconds(20)) {
                    try await pods(of: uid, client).count == 1
                }

                try await client.delete(ReplicationController.self, name: "legacy", namespace: "default")
                try await eventually("its pods gone", timeout: .seconds(20)) {
                    try await client.listItems(Pod.self, namespace: "default").items.allSatisfy { $0.controllerReference?.uid != uid }
                }
            }
        }
    }
}
