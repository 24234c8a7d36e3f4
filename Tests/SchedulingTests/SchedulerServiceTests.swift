import APIClient
import APIModel
import ControllerRuntime
import Foundation
import Scheduling
import SimulatedNodes
import Testing
import TestSupport

/// The scheduler service against the API with simulated nodes.
@Suite("Scheduler service")
struct SchedulerServiceTests {
    private func pod(_ name: String, cpu: String = "100m", nodeSelector: [String: String]? = nil) -> Pod {
        Pod(metadata: ObjectMeta(name: name, namespace: "default"),
            spec: PodSpec(containers: [Container(image: "busybox:1.36", name: "a",
                                                 resources: ResourceRequirements(requests: ["cpu": Quantity(stringLiteral: cpu)]))],
                          nodeSelector: nodeSelector))
    }

    private func running(_ cluster: InProcessCluster, _ body: (KubernetesClient) async throws -> Void) async throws {
        let client = cluster.client
        let pods = Informer<Pod>(client: client)
        let nodes = Informer<Node>(client: client)
        let scheduler = SchedulerService(client: client, pods: pods, nodes: nodes)
        let simulator = NodeSimulator(client: client, configuration: .init(count: 3, shape: SimulatedNodeShape(cpu: "4")))
        let task = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await pods.run() }
                group.addTask { await nodes.run() }
                group.addTask { await scheduler.run() }
                group.addTask { try? await simulator.run() }
            }
        }
        defer { task.cancel() }
        try await eventually("three nodes") { try await client.listItems(Node.self).items.count == 3 }
        try await body(client)
    }

    @Test("Pods are bound, spread over the nodes, and run; Scheduled events are recorded")
    func bindsAndSpreads() async throws {
        try await InProcessCluster.with { cluster in
            try await running(cluster) { client in
                for i in 0..<6 { _ = try await client.create(pod("p\(i)", cpu: "1")) }
                try await eventually("six pods running") {
                    try await client.listItems(Pod.self, namespace: "default").items.filter { $0.status?.phase == "Running" }.count == 6
                }
                let placed = try await client.listItems(Pod.self, namespace: "default").items.compactMap(\.spec?.nodeName)
                #expect(Set(placed).count == 3, "least-allocated scoring spreads the pods: \(placed)")
                let scheduled = try await client.get(Pod.self, name: "p0", namespace: "default").status?.conditions?
                    .first { $0.type == "PodScheduled" }
                #expect(scheduled?.status == "True")
                try await eventually("Scheduled events") {
                    try await client.listItems(Event.self, namespace: "default").items.filter { $0.reason == "Scheduled" }.count == 6
                }
            }
        }
    }

    @Test("A pod that fits nowhere is Unschedulable with the summary, and schedules once a node fits")
    func unschedulableThenFits() async throws {
        try await InProcessCluster.with { cluster in
            try await running(cluster) { client in
                _ = try await client.create(pod("big", cpu: "6"))
                try await eventually("the pod marked unschedulable") {
                    let condition = try await client.get(Pod.self, name: "big", namespace: "default").status?.conditions?
                        .first { $0.type == "PodScheduled" }
                    return condition?.status == "False" && condition?.reason == "Unschedulable"
                }
                let condition = try await client.get(Pod.self, name: "big", namespace: "default").status?.conditions?
                    .first { $0.type == "PodScheduled" }
                #expect(condition?.message == "0/3 nodes are available: 3 Insufficient cpu.")
                try await eventually("a FailedScheduling event") {
                    try await client.listItems(Event.self, namespace: "default").items
                        .contains { $0.reason == "FailedScheduling" && $0.type == "Warning"
                                    && $0.message == "0/3 nodes are available: 3 Insufficient cpu." }
                }
                // A bigger node joins: the parked pod is retried on the node event and lands there.
                let big = NodeSimulator(client: client, configuration: .init(count: 1, namePrefix: "big-",
                                                                             shape: SimulatedNodeShape(cpu: "16")))
                let joined = Task { try? await big.run() }
                defer { joined.cancel() }
                try await eventually("the pod on the big node", timeout: .seconds(20)) {
                    try await client.get(Pod.self, name: "big", namespace: "default").spec?.nodeName == "big-0"
                }
            }
        }
    }

    @Test("Node selectors and taints steer pods")
    func selectorsAndTaints() async throws {
        try await InProcessCluster.with { cluster in
            try await running(cluster) { client in
                _ = try await client.patch(Node.self, name: "sim-node-2",
                                           mergePatch: Data(#"{"metadata":{"labels":{"disk":"ssd"}}}"#.utf8))
                _ = try await client.patch(Node.self, name: "sim-node-0",
                                           mergePatch: Data(#"{"spec":{"taints":[{"key":"dedicated","value":"x","effect":"NoSchedule"}]}}"#.utf8))
                _ = try await client.create(pod("ssd", nodeSelector: ["disk": "ssd"]))
                _ = try await client.create(pod("nowhere", nodeSelector: ["disk": "tape"]))
                try await eventually("the ssd pod bound") {
                    try await client.get(Pod.self, name: "ssd", namespace: "default").spec?.nodeName == "sim-node-2"
                }
                try await eventually("the other pod unschedulable") {
                    try await client.get(Pod.self, name: "nowhere", namespace: "default").status?.conditions?
                        .first { $0.type == "PodScheduled" }?.message
                        == "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: x}, 2 node(s) didn't match Pod's node affinity/selector."
                }
            }
        }
    }
}
