import APIClient
import APIModel
import ControllerRuntime
import Controllers
import Foundation
import Scheduling
import Synchronization
import SimulatedNodes
import Testing
import TestSupport

/// The DaemonSet controller against the API, with the scheduler placing its pods and simulated nodes running them.
@Suite("DaemonSet controller")
struct DaemonSetControllerTests {
    private func template(image: String) -> PodTemplateSpec {
        PodTemplateSpec(metadata: ObjectMeta(labels: ["app": "agent"]),
                        spec: PodSpec(containers: [Container(image: image, name: "a")]))
    }

    /// The active pods controlled by the DaemonSet with `uid`.
    private func daemonPods(of uid: String?, _ client: KubernetesClient) async throws -> [Pod] {
        try await client.listItems(Pod.self, namespace: "default").items.filter {
            $0.controllerReference?.uid == uid && $0.isActive
        }
    }

    @Test("Daemon pods run on every node, follow nodes joining and nodeSelectors, and roll one at a time")
    func lifecycle() async throws {
        try await InProcessCluster.with { cluster in
            let client = cluster.client
            let pods = Informer<Pod>(client: client)
            let nodes = Informer<Node>(client: client)
            let scheduler = SchedulerService(client: client, pods: pods, nodes: nodes)
            let first = NodeSimulator(client: client, configuration: .init(count: 3, namePrefix: "ds-node-",
                                                                            shape: SimulatedNodeShape(labels: ["tier": "a"])))
            let joining = NodeSimulator(client: client, configuration: .init(count: 1, namePrefix: "ds-node-", firstIndex: 3,
                                                                              shape: SimulatedNodeShape(labels: ["tier": "b"])))
            let controller = DaemonSetController(client: client, pods: pods, nodes: nodes)
            let task = Task {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await pods.run() }
                    group.addTask { await nodes.run() }
                    group.addTask { await scheduler.run() }
                    group.addTask { try? await first.run() }
                    group.addTask { await controller.run() }
                }
            }
            defer { task.cancel() }
            try await eventually("three nodes") { try await client.listItems(Node.self).items.count == 3 }

            // Three nodes, three daemon pods, Running and counted.
            let created = try await client.create(DaemonSet(
                metadata: ObjectMeta(name: "agent", namespace: "default"),
                spec: DaemonSetSpec(selector: LabelSelector(matchLabels: ["app": "agent"]), template: template(image: "agent:1"))))
            let uid = created.metadata?.uid
            try await eventually("3 daemon pods ready", timeout: .seconds(20)) {
                let status = try await client.get(DaemonSet.self, name: "agent", namespace: "default").status
                return status?.desiredNumberScheduled == 3 && status?.currentNumberScheduled == 3 && status?.numberReady == 3
                    && status?.numberAvailable == 3 && status?.updatedNumberScheduled == 3 && status?.numberMisscheduled == 0
                    && status?.observedGeneration == created.metadata?.generation
            }
            let running = try await daemonPods(of: uid, client)
            #expect(running.count == 3)
            #expect(Set(running.compactMap { $0.spec?.nodeName }) == ["ds-node-0", "ds-node-1", "ds-node-2"])
            #expect(running.allSatisfy { $0.status?.phase == "Running" && $0.metadata?.generateName == "agent-" })
            let firstHash = try #require(running.first?.metadata?.labels?["controller-revision-hash"])
            #expect(running.allSatisfy { $0.metadata?.labels?["controller-revision-hash"] == firstHash })
            let revisions = try await client.listItems(ControllerRevision.self, namespace: "default", resource: .controllerrevisions).items
            #expect(revisions.map { $0.metadata?.name } == ["agent-\(firstHash)"])
            #expect(revisions.first?.revision == 1)
            try await eventually("3 SuccessfulCreate events") {
                try await client.listItems(Event.self, namespace: "default").items.filter { $0.reason == "SuccessfulCreate" }.count == 3
            }

            // A node joining gets its pod.
            let joiner = Task { try? await joining.run() }
            defer { joiner.cancel() }
            try await eventually("a pod on the new node", timeout: .seconds(20)) {
                let current = try await daemonPods(of: uid, client)
                return current.count == 4 && current.contains { $0.spec?.nodeName == "ds-node-3" && $0.isReady }
            }

            // A nodeSelector limits another DaemonSet to the matching node; it adopts a matching orphan there, and
            // replaces it (the orphan is not of the current revision).
            _ = try await client.create(Pod(metadata: ObjectMeta(labels: ["app": "edge"], name: "edge-orphan", namespace: "default"),
                                            spec: PodSpec(containers: [Container(image: "edge:0", name: "a")], nodeName: "ds-node-3")))
            try await eventually("the orphan running") {
                try await client.get(Pod.self, name: "edge-orphan", namespace: "default").isReady
            }
            let edge = try await client.create(DaemonSet(
                metadata: ObjectMeta(name: "edge", namespace: "default"),
                spec: DaemonSetSpec(selector: LabelSelector(matchLabels: ["app": "edge"]), template: PodTemplateSpec(
                    metadata: ObjectMeta(labels: ["app": "edge"]),
                    spec: PodSpec(containers: [Container(image: "edge:1", name: "a")], nodeSelector: ["tier": "b"])))))
            try await eventually("one edge pod", timeout: .seconds(20)) {
                let status = try await client.get(DaemonSet.self, name: "edge", namespace: "default").status
                return status?.desiredNumberScheduled == 1 && status?.numberReady == 1
            }
            try await eventually("the adopted orphan replaced", timeout: .seconds(20)) {
                let events = try await client.listItems(Event.self, namespace: "default").items
                let edgePods = try await daemonPods(of: edge.metadata?.uid, client)
                return events.contains { $0.reason == "SuccessfulDelete" && $0.message == "Deleted pod: edge-orphan" }
                    && edgePods.count == 1 && edgePods[0].metadata?.name != "edge-orphan" && edgePods[0].isReady
            }
            let edgePods = try await daemonPods(of: edge.metadata?.uid, client)
            #expect(edgePods.map { $0.spec?.nodeName } == ["ds-node-3"])

            // A template change rolls the pods one at a time (maxUnavailable 1 by default).
            // Watch every change the shared pod cache sees, counting the DaemonSet's ready pods after each.
            let fewestReady = Fewest()
            let watcher = Task {
                for await _ in pods.subscribe() {
                    fewestReady.observe(pods.list { $0.controllerReference?.uid == uid && $0.isActive && $0.isReady }.count)
                }
            }
            defer { watcher.cancel() }
            try await eventually("the watcher caught up") { fewestReady.value == 4 }
            _ = try await client.patch(DaemonSet.self, name: "agent", namespace: "default",
                                       mergePatch: Data(#"{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"agent:2"}]}}}}"#.utf8))
            try await eventually("every pod updated", timeout: .seconds(40)) {
                let current = try await daemonPods(of: uid, client)
                let status = try await client.get(DaemonSet.self, name: "agent", namespace: "default").status
                return current.count == 4 && current.allSatisfy { $0.spec?.containers?.first?.image == "agent:2" && $0.isReady }
                    && status?.updatedNumberScheduled == 4 && status?.numberAvailable == 4
            }
            #expect(fewestReady.value == 3, "one daemon pod unavailable at a time, never more")
            let history = try await client.listItems(ControllerRevision.self, namespace: "default", resource: .controllerrevisions)
                .items.filter { $0.metadata?.name?.hasPrefix("agent-") == true }
            #expect(history.compactMap(\.revision).sorted() == [1, 2])
            try await eventually("4 SuccessfulDelete events") {
                try await client.listItems(Event.self, namespace: "default").items.filter {
                    $0.reason == "SuccessfulDelete" && $0.involvedObject?.name == "agent"
                }.count == 4
            }

            // A node that stops matching the nodeSelector loses its pod.
            _ = try await client.patch(Node.self, name: "ds-node-3", mergePatch: Data(#"{"metadata":{"labels":{"tier":"c"}}}"#.utf8))
            try await eventually("the edge pod gone", timeout: .seconds(20)) {
                let status = try await client.get(DaemonSet.self, name: "edge", namespace: "default").status
                return try await daemonPods(of: edge.metadata?.uid, client).isEmpty && status?.desiredNumberScheduled == 0
                    && status?.currentNumberScheduled == 0 && status?.numberMisscheduled == 0
            }
        }
    }
}

/// The smallest value observed so far (nil before the first), shared between a watching task and the test.
private final class Fewest: Sendable {
    private let state = Mutex<Int?>(nil)

    var value: Int? { state.withLock { $0 } }

    func observe(_ count: Int) {
        state.withLock { $0 = min($0 ?? count, count) }
    }
}
