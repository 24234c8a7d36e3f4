import APIClient
import APIModel
import ControllerRuntime
import Controllers
import Foundation
import Scheduling
import SimulatedNodes
import Synchronization
import Testing
import TestSupport

/// The Deployment controller against the API, with the ReplicaSet controller, the scheduler and simulated nodes
/// running what it asks for.
@Suite("Deployment controller")
struct DeploymentControllerTests {
    private func template(_ image: String) -> PodTemplateSpec {
        PodTemplateSpec(metadata: ObjectMeta(labels: ["app": "web"]), spec: PodSpec(containers: [Container(image: image, name: "web")]))
    }

    private func running(_ cluster: InProcessCluster, _ body: (KubernetesClient) async throws -> Void) async throws {
        let client = cluster.client
        let pods = Informer<Pod>(client: client)
        let nodes = Informer<Node>(client: client)
        let replicaSetInformer = Informer<ReplicaSet>(client: client)
        let scheduler = SchedulerService(client: client, pods: pods, nodes: nodes)
        let simulator = NodeSimulator(client: client, configuration: .init(count: 2, shape: SimulatedNodeShape(cpu: "8")))
        let replicaSets = ReplicaSetController(client: client, pods: pods, owners: replicaSetInformer)
        let deployments = DeploymentController(client: client, replicaSets: replicaSetInformer, pods: pods)
        let task = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await pods.run() }
                group.addTask { await nodes.run() }
                group.addTask { await replicaSetInformer.run() }
                group.addTask { await scheduler.run() }
                group.addTask { try? await simulator.run() }
                group.addTask { await replicaSets.run() }
                group.addTask { await deployments.run() }
            }
        }
        defer { task.cancel() }
        try await eventually("two nodes") { try await client.listItems(Node.self).items.count == 2 }
        try await body(client)
    }

    private func deployment(_ client: KubernetesClient, _ name: String = "web") async throws -> Deployment {
        try await client.get(Deployment.self, name: name, namespace: "default")
    }

    /// The ReplicaSets the Deployment controls, oldest revision first.
    private func replicaSets(of deployment: Deployment, _ client: KubernetesClient) async throws -> [ReplicaSet] {
        try await client.listItems(ReplicaSet.self, namespace: "default").items
            .filter { $0.controllerUID == deployment.metadata?.uid }
            .sorted { $0.revision < $1.revision }
    }

    private func create(_ client: KubernetesClient, name: String = "web", replicas: Int32 = 3, strategy: DeploymentStrategy? = nil,
                        historyLimit: Int32? = nil) async throws -> Deployment {
        try await client.create(Deployment(
            metadata: ObjectMeta(annotations: [DeploymentAnnotations.changeCause: "first"], name: name, namespace: "default"),
            spec: DeploymentSpec(replicas: replicas, revisionHistoryLimit: historyLimit, selector: LabelSelector(matchLabels: ["app": "web"]),
                                 strategy: strategy, template: template("nginx:1"))))
    }

    private func setImage(_ image: String, _ client: KubernetesClient, name: String = "web") async throws {
        _ = try await client.patch(Deployment.self, name: name, namespace: "default", mergePatch: Data(
            #"{"metadata":{"annotations":{"kubernetes.io/change-cause":"\#(image)"}},"spec":{"template":{"spec":{"containers":[{"name":"web","image":"\#(image)"}]}}}}"#.utf8))
    }

    /// Waits until the Deployment has rolled out completely: every replica updated and available, one active ReplicaSet.
    private func rolledOut(_ client: KubernetesClient, replicas: Int32 = 3, name: String = "web") async throws {
        try await eventually("rolled out", timeout: .seconds(40)) {
            let d = try await deployment(client, name)
            let status = d.status
            let active = try await replicaSets(of: d, client).filter { ($0.spec?.replicas ?? 0) > 0 }.count
            return active == 1 && status?.observedGeneration == d.metadata?.generation && status?.updatedReplicas == replicas
                && status?.replicas == replicas && status?.availableReplicas == replicas
                && status?.conditions?.first { $0.type == "Progressing" }?.reason == "NewReplicaSetAvailable"
        }
    }

    private func events(_ client: KubernetesClient) async throws -> [String] {
        try await client.listItems(Event.self, namespace: "default").items
            .filter { $0.reason == "ScalingReplicaSet" }.compactMap(\.message)
    }

    @Test("A Deployment of 3 becomes available through a ReplicaSet <name>-<hash> at revision 1")
    func becomesAvailable() async throws {
        try await InProcessCluster.with { cluster in
            try await running(cluster) { client in
                _ = try await create(client)
                try await rolledOut(client)
                let d = try await deployment(client)
                let status = try #require(d.status)
                #expect(status.readyReplicas == 3 && status.unavailableReplicas == nil)
                #expect(status.conditions?.first { $0.type == "Available" }?.reason == "MinimumReplicasAvailable")
                #expect(d.metadata?.annotations?[DeploymentAnnotations.revision] == "1")
                let rs = try #require(try await replicaSets(of: d, client).first)
                let hash = try #require(rs.metadata?.labels?[PodTemplateHash.labelKey])
                #expect(rs.metadata?.name == "web-\(hash)")
                #expect(hash == PodTemplateHash.compute(d.spec?.template, collisionCount: nil))
                #expect(rs.spec?.selector?.matchLabels == ["app": "web", PodTemplateHash.labelKey: hash])
                #expect(rs.spec?.template?.metadata?.labels?[PodTemplateHash.labelKey] == hash)
                #expect(rs.metadata?.annotations?[DeploymentAnnotations.revision] == "1")
                #expect(rs.metadata?.annotations?[DeploymentAnnotations.desiredReplicas] == "3")
                #expect(rs.metadata?.annotations?[DeploymentAnnotations.maxReplicas] == "4")
                #expect(rs.metadata?.annotations?[DeploymentAnnotations.changeCause] == "first")
                #expect(rs.metadata?.ownerReferences?.first?.kind == "Deployment")
                #expect(rs.metadata?.ownerReferences?.first?.controller == true)
                try await eventually("the scaling event") {
                    try await events(client).contains("Scaled up replica set web-\(hash) to 3")
                }
                // Settled: nothing more is written.
                let settled = try await deployment(client).metadata?.resourceVersion
                let settledRS = rs.metadata?.resourceVersion
                try await Task.sleep(for: .milliseconds(500))
                #expect(try await deployment(client).metadata?.resourceVersion == settled)
                #expect(try await replicaSets(of: d, client).first?.metadata?.resourceVersion == settledRS)
            }
        }
    }

    @Test("Changing the image rolls out to a new ReplicaSet within maxSurge and maxUnavailable; undo goes back as revision 3")
    func rollingUpdate() async throws {
        try await InProcessCluster.with { cluster in
            try await running(cluster) { client in
                let strategy = DeploymentStrategy(rollingUpdate: RollingUpdateDeployment(maxSurge: 1, maxUnavailable: 1), type: "RollingUpdate")
                _ = try await create(client, replicas: 4, strategy: strategy)
                try await rolledOut(client, replicas: 4)
                let first = try #require(try await replicaSets(of: try await deployment(client), client).first)

                // Sample the ReplicaSets' sizes while the rollout goes on.
                let worst = Mutex((surge: 0, missing: 0))
                let sampler = Task {
                    while !Task.isCancelled {
                        if let all = try? await client.listItems(ReplicaSet.self, namespace: "default").items {
                            let wanted = all.reduce(0) { $0 + Int($1.spec?.replicas ?? 0) }
                            let available = all.reduce(0) { $0 + Int($1.status?.availableReplicas ?? 0) }
                            worst.withLock { $0 = (max($0.surge, wanted - 4), max($0.missing, 4 - available)) }
                        }
                        try? await Task.sleep(for: .milliseconds(20))
                    }
                }
                try await setImage("nginx:2", client)
                try await rolledOut(client, replicas: 4)
                sampler.cancel()
                let (surge, missing) = worst.withLock { $0 }
                #expect(surge <= 1, "at most maxSurge extra replicas")
                #expect(missing <= 1 + 1, "at most maxUnavailable missing (status lags one step)")

                var d = try await deployment(client)
                var all = try await replicaSets(of: d, client)
                #expect(all.count == 2)
                #expect(all.map { $0.spec?.replicas ?? -1 } == [0, 4])
                #expect(all.map(\.revision) == [1, 2])
                #expect(all[1].spec?.template?.spec?.containers?.first?.image == "nginx:2")
                #expect(all[1].metadata?.annotations?[DeploymentAnnotations.changeCause] == "nginx:2")
                #expect(d.metadata?.annotations?[DeploymentAnnotations.revision] == "2")
                let old = first.metadata?.name ?? ""
                try await eventually("scaling events") {
                    let messages = try await events(client)
                    return messages.contains { $0.hasPrefix("Scaled down replica set \(old) to ") && $0.hasSuffix("from 4") }
                        && messages.contains { $0.hasPrefix("Scaled up replica set \(all[1].metadata?.name ?? "") to ") }
                }

                // `kubectl rollout undo` puts the old template back: the old ReplicaSet becomes new, as revision 3.
                try await setImage("nginx:1", client)
                try await rolledOut(client, replicas: 4)
                d = try await deployment(client)
                all = try await replicaSets(of: d, client)
                #expect(all.count == 2)
                #expect(all.last?.metadata?.name == old)
                #expect(all.map(\.revision) == [2, 3])
                #expect(all.last?.metadata?.annotations?[DeploymentAnnotations.revisionHistory] == "1")
                #expect(d.metadata?.annotations?[DeploymentAnnotations.revision] == "3")
            }
        }
    }

    @Test("Recreate scales the old ReplicaSet to 0 and waits for its pods before the new one")
    func recreate() async throws {
        try await InProcessCluster.with { cluster in
            try await running(cluster) { client in
                _ = try await create(client, strategy: DeploymentStrategy(type: "Recreate"))
                try await rolledOut(client)
                let overlap = Mutex(false)
                let sampler = Task {
                    while !Task.isCancelled {
                        if let pods = try? await client.listItems(Pod.self, namespace: "default").items {
                            let images = Set(pods.filter { $0.status?.phase != "Succeeded" && $0.status?.phase != "Failed" }
                                .compactMap { $0.spec?.containers?.first?.image })
                            if images.count > 1 { overlap.withLock { $0 = true } }
                        }
                        try? await Task.sleep(for: .milliseconds(20))
                    }
                }
                try await setImage("nginx:2", client)
                try await rolledOut(client)
                sampler.cancel()
                #expect(!overlap.withLock { $0 }, "never old and new pods at once")
                let all = try await replicaSets(of: try await deployment(client), client)
                #expect(all.map { $0.spec?.replicas ?? -1 } == [0, 3])
                #expect(all.map(\.revision) == [1, 2])
            }
        }
    }

    @Test("Scaling through /scale resizes the ReplicaSet; a paused Deployment scales but does not roll out")
    func scalingAndPause() async throws {
        try await InProcessCluster.with { cluster in
            try await running(cluster) { client in
                _ = try await create(client, replicas: 2)
                try await rolledOut(client, replicas: 2)
                let response = try await client.request(method: "PATCH", path: ResourcePath.deployments.object("web", namespace: "default") + "/scale",
                                                        body: Data(#"{"spec":{"replicas":5}}"#.utf8), contentType: "application/merge-patch+json")
                #expect(response.isSuccess)
                try await rolledOut(client, replicas: 5)
                let rs = try #require(try await replicaSets(of: try await deployment(client), client).first)
                #expect(rs.metadata?.annotations?[DeploymentAnnotations.desiredReplicas] == "5")

                _ = try await client.patch(Deployment.self, name: "web", namespace: "default",
                                           mergePatch: Data(#"{"spec":{"paused":true,"replicas":3}}"#.utf8))
                try await setImage("nginx:2", client)
                try await eventually("paused condition and scaled down", timeout: .seconds(20)) {
                    let d = try await deployment(client)
                    let all = try await replicaSets(of: d, client)
                    return d.status?.conditions?.first { $0.type == "Progressing" }?.reason == "DeploymentPaused"
                        && all.count == 1 && all[0].spec?.replicas == 3 && d.status?.availableReplicas == 3
                }
                _ = try await client.patch(Deployment.self, name: "web", namespace: "default", mergePatch: Data(#"{"spec":{"paused":false}}"#.utf8))
                try await rolledOut(client)
                let all = try await replicaSets(of: try await deployment(client), client)
                #expect(all.count == 2)
                #expect(all.last?.spec?.template?.spec?.containers?.first?.image == "nginx:2")
            }
        }
    }

    @Test("An orphan ReplicaSet with the Deployment's template is adopted as its new ReplicaSet")
    func adoption() async throws {
        try await InProcessCluster.with { cluster in
            try await running(cluster) { client in
                let orphan = try await client.create(ReplicaSet(
                    metadata: ObjectMeta(labels: ["app": "web"], name: "manual", namespace: "default"),
                    spec: ReplicaSetSpec(replicas: 1, selector: LabelSelector(matchLabels: ["app": "web"]), template: template("nginx:1"))))
                _ = try await create(client)
                try await rolledOut(client)
                let d = try await deployment(client)
                let all = try await replicaSets(of: d, client)
                #expect(all.compactMap(\.metadata?.uid) == [orphan.metadata?.uid].compactMap { $0 })
                #expect(all.first?.spec?.replicas == 3)
                #expect(all.first?.revision == 1)
            }
        }
    }

    @Test("A name taken by another ReplicaSet raises the collision count and the ReplicaSet gets another hash")
    func hashCollision() async throws {
        try await InProcessCluster.with { cluster in
            try await running(cluster) { client in
                _ = try await client.create(Deployment(
                    metadata: ObjectMeta(name: "web", namespace: "default"),
                    spec: DeploymentSpec(paused: true, replicas: 1, selector: LabelSelector(matchLabels: ["app": "web"]),
                                         template: template("nginx:1"))))
                let d = try await deployment(client)
                let taken = PodTemplateHash.compute(d.spec?.template, collisionCount: nil)
                var squatterTemplate = template("busybox:1")
                squatterTemplate.metadata?.labels = ["app": "other"]
                _ = try await client.create(ReplicaSet(
                    metadata: ObjectMeta(labels: ["app": "other"], name: "web-\(taken)", namespace: "default"),
                    spec: ReplicaSetSpec(replicas: 0, selector: LabelSelector(matchLabels: ["app": "other"]), template: squatterTemplate)))
                _ = try await client.patch(Deployment.self, name: "web", namespace: "default", mergePatch: Data(#"{"spec":{"paused":false}}"#.utf8))
                try await rolledOut(client, replicas: 1)
                let after = try await deployment(client)
                #expect(after.status?.collisionCount == 1)
                let owned = try await replicaSets(of: after, client)
                #expect(owned.compactMap(\.metadata?.name) == ["web-\(PodTemplateHash.compute(d.spec?.template, collisionCount: 1))"])
            }
        }
    }

    @Test("minReadySeconds is copied to the ReplicaSet, also when changed without a new template")
    func minReadySeconds() async throws {
        try await InProcessCluster.with { cluster in
            try await running(cluster) { client in
                _ = try await client.create(Deployment(
                    metadata: ObjectMeta(name: "web", namespace: "default"),
                    spec: DeploymentSpec(minReadySeconds: 1, replicas: 2, selector: LabelSelector(matchLabels: ["app": "web"]),
                                         template: template("nginx:1"))))
                try await rolledOut(client, replicas: 2)
                #expect(try await replicaSets(of: try await deployment(client), client).first?.spec?.minReadySeconds == 1)
                _ = try await client.patch(Deployment.self, name: "web", namespace: "default",
                                           mergePatch: Data(#"{"spec":{"minReadySeconds":2}}"#.utf8))
                try await eventually("minReadySeconds 2 on the same ReplicaSet", timeout: .seconds(20)) {
                    let all = try await replicaSets(of: try await deployment(client), client)
                    return all.count == 1 && all[0].spec?.minReadySeconds == 2
                }
                try await rolledOut(client, replicas: 2)
            }
        }
    }

    @Test("A rollout whose pods never become available exceeds its progress deadline")
    func progressDeadline() async throws {
        try await InProcessCluster.with { cluster in
            try await running(cluster) { client in
                var stuck = template("nginx:1")
                stuck.spec?.nodeSelector = ["no-such-node": "true"]
                _ = try await client.create(Deployment(
                    metadata: ObjectMeta(name: "stuck", namespace: "default"),
                    spec: DeploymentSpec(progressDeadlineSeconds: 1, replicas: 2, selector: LabelSelector(matchLabels: ["app": "web"]),
                                         template: stuck)))
                try await eventually("ProgressDeadlineExceeded", timeout: .seconds(20)) {
                    let conditions = try await deployment(client, "stuck").status?.conditions ?? []
                    let progressing = conditions.first { $0.type == "Progressing" }
                    return progressing?.reason == "ProgressDeadlineExceeded" && progressing?.status == "False"
                        && progressing?.message?.hasSuffix("has timed out progressing.") == true
                        && conditions.first { $0.type == "Available" }?.reason == "MinimumReplicasUnavailable"
                }
                let status = try await deployment(client, "stuck").status
                #expect(status?.unavailableReplicas == 2)
                #expect(status?.availableReplicas == nil)
            }
        }
    }

    @Test("Old ReplicaSets beyond revisionHistoryLimit are deleted")
    func historyCleanup() async throws {
        try await InProcessCluster.with { cluster in
            try await running(cluster) { client in
                _ = try await create(client, replicas: 1, historyLimit: 1)
                try await rolledOut(client, replicas: 1)
                for image in ["nginx:2", "nginx:3", "nginx:4"] {
                    try await setImage(image, client)
                    try await rolledOut(client, replicas: 1)
                }
                try await eventually("one old ReplicaSet kept", timeout: .seconds(20)) {
                    let all = try await replicaSets(of: try await deployment(client), client)
                    return all.map(\.revision) == [3, 4]
                }
                #expect(try await deployment(client).metadata?.annotations?[DeploymentAnnotations.revision] == "4")
            }
        }
    }
}
