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

/// The StatefulSet controller against the API, with the scheduler placing its pods and simulated nodes running them.
@Suite("StatefulSet controller")
struct StatefulSetControllerTests {
    /// The order pods of the set were first seen created and first seen going (deleting or deleted), from a pod
    /// cache's events in order; and the pods created while a lower-ordinal pod was not Ready.
    private final class PodLog: Sendable {
        private let state = Mutex((created: [String](), gone: [String](), seenGone: Set<String>(), ready: Set<Int>(),
                                   createdEarly: [String]()))

        func observe(_ event: InformerEvent<Pod>) {
            state.withLock { state in
                switch event {
                case .added(let pod), .updated(_, let pod):
                    if let ordinal = Int(pod.metadata?.name?.split(separator: "-").last ?? "") {
                        if pod.isReady && pod.metadata?.deletionTimestamp == nil { state.ready.insert(ordinal) } else { state.ready.remove(ordinal) }
                    }
                case .deleted(let pod):
                    if let ordinal = Int(pod.metadata?.name?.split(separator: "-").last ?? "") { state.ready.remove(ordinal) }
                }
                switch event {
                case .added(let pod):
                    let name = pod.metadata?.name ?? ""
                    state.created.append(name)
                    if let ordinal = Int(name.split(separator: "-").last ?? ""), !(0..<ordinal).allSatisfy(state.ready.contains) {
                        state.createdEarly.append(name)
                    }
                    state.seenGone.remove(pod.metadata?.uid ?? "")
                case .updated(_, let pod), .deleted(let pod):
                    let uid = pod.metadata?.uid ?? ""
                    let going: Bool
                    if case .deleted = event { going = true } else { going = pod.metadata?.deletionTimestamp != nil }
                    if going && !state.seenGone.contains(uid) {
                        state.seenGone.insert(uid)
                        state.gone.append(pod.metadata?.name ?? "")
                    }
                }
            }
        }

        var created: [String] { state.withLock { $0.created } }
        var gone: [String] { state.withLock { $0.gone } }
        var createdEarly: [String] { state.withLock { $0.createdEarly } }
        func reset() { state.withLock { $0.created = []; $0.gone = [] } }
    }

    private func setPods(_ client: KubernetesClient) async throws -> [Pod] {
        try await client.listItems(Pod.self, namespace: "default").items
            .filter { $0.controllerReference?.kind == "StatefulSet" && $0.isActive }
            .sorted { ($0.metadata?.name ?? "") < ($1.metadata?.name ?? "") }
    }

    @Test("Pods come up in order, come back under their names, roll from the highest ordinal, and scale down from it")
    func lifecycle() async throws {
        try await InProcessCluster.with { cluster in
            let client = cluster.client
            let pods = Informer<Pod>(client: client)
            let nodes = Informer<Node>(client: client)
            let scheduler = SchedulerService(client: client, pods: pods, nodes: nodes)
            let simulator = NodeSimulator(client: client, configuration: .init(count: 2, namePrefix: "sts-node-"))
            let controller = StatefulSetController(client: client, pods: pods)
            let log = PodLog()
            let task = Task {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await pods.run() }
                    group.addTask { await nodes.run() }
                    group.addTask { await scheduler.run() }
                    group.addTask { try? await simulator.run() }
                    group.addTask { await controller.run() }
                    group.addTask { for await event in pods.subscribe() { log.observe(event) } }
                }
            }
            defer { task.cancel() }
            try await eventually("two nodes") { try await client.listItems(Node.self).items.count == 2 }

            // Three replicas, created one at a time in ordinal order.
            let created = try await client.create(StatefulSet(
                metadata: ObjectMeta(name: "web", namespace: "default"),
                spec: StatefulSetSpec(replicas: 3, selector: LabelSelector(matchLabels: ["app": "web"]), serviceName: "nginx",
                                      template: PodTemplateSpec(metadata: ObjectMeta(labels: ["app": "web"]),
                                                                spec: PodSpec(containers: [Container(image: "nginx:1", name: "c")])))))
            try await eventually("3 ready replicas", timeout: .seconds(30)) {
                let status = try await client.get(StatefulSet.self, name: "web", namespace: "default").status
                return status?.readyReplicas == 3 && status?.currentReplicas == 3 && status?.updatedReplicas == 3
                    && status?.observedGeneration == created.metadata?.generation
            }
            #expect(log.created == ["web-0", "web-1", "web-2"])
            #expect(log.createdEarly.isEmpty, "each pod created only once every lower ordinal was Ready")
            let running = try await setPods(client)
            #expect(running.map { $0.metadata?.name } == ["web-0", "web-1", "web-2"])
            #expect(running.allSatisfy { $0.spec?.hostname == $0.metadata?.name && $0.spec?.subdomain == "nginx" })
            let status = try await client.get(StatefulSet.self, name: "web", namespace: "default").status
            let firstRevision = try #require(status?.currentRevision)
            #expect(status?.updateRevision == firstRevision && firstRevision.hasPrefix("web-"))
            #expect(running.allSatisfy { $0.metadata?.labels?["controller-revision-hash"] == firstRevision })
            try await eventually("SuccessfulCreate events in upstream words") {
                let messages = try await client.listItems(Event.self, namespace: "default").items
                    .filter { $0.reason == "SuccessfulCreate" }.compactMap(\.message)
                return Set(messages) == ["create Pod web-0 in StatefulSet web successful", "create Pod web-1 in StatefulSet web successful",
                                         "create Pod web-2 in StatefulSet web successful"]
            }

            // A deleted pod comes back under its name.
            let oldUID = running[1].metadata?.uid
            try await client.delete(Pod.self, name: "web-1", namespace: "default")
            try await eventually("web-1 back", timeout: .seconds(30)) {
                let current = try await setPods(client)
                return current.count == 3 && current.contains { $0.metadata?.name == "web-1" && $0.metadata?.uid != oldUID && $0.isReady }
            }

            // A template change rolls web-2, web-1, web-0 to the new revision.
            log.reset()
            _ = try await client.patch(StatefulSet.self, name: "web", namespace: "default",
                                       mergePatch: Data(#"{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"nginx:2"}]}}}}"#.utf8))
            try await eventually("rolled", timeout: .seconds(60)) {
                let status = try await client.get(StatefulSet.self, name: "web", namespace: "default").status
                let current = try await setPods(client)
                return status?.updatedReplicas == 3 && status?.readyReplicas == 3 && status?.currentRevision == status?.updateRevision
                    && status?.currentRevision != firstRevision
                    && current.count == 3 && current.allSatisfy { $0.spec?.containers?.first?.image == "nginx:2" && $0.isReady }
            }
            #expect(log.gone == ["web-2", "web-1", "web-0"])
            #expect(log.created == ["web-2", "web-1", "web-0"])
            let revisions = try await client.listItems(ControllerRevision.self, namespace: "default", resource: .controllerrevisions).items
            #expect(revisions.compactMap(\.revision).sorted() == [1, 2])

            // Scaling to 1 removes web-2, then web-1.
            log.reset()
            _ = try await client.patch(StatefulSet.self, name: "web", namespace: "default",
                                       mergePatch: Data(#"{"spec":{"replicas":1}}"#.utf8))
            try await eventually("scaled to 1", timeout: .seconds(30)) {
                let status = try await client.get(StatefulSet.self, name: "web", namespace: "default").status
                return try await setPods(client).map { $0.metadata?.name } == ["web-0"] && status?.replicas == 1
            }
            #expect(log.gone == ["web-2", "web-1"])
            try await eventually("SuccessfulDelete events in upstream words") {
                let messages = try await client.listItems(Event.self, namespace: "default").items
                    .filter { $0.reason == "SuccessfulDelete" }.compactMap(\.message)
                return messages.contains("delete Pod web-2 in StatefulSet web successful")
                    && messages.contains("delete Pod web-1 in StatefulSet web successful")
            }
        }
    }
}
