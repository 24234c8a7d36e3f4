import APIClient
import APIModel
import ControllerRuntime
import Controllers
import Foundation
import SimulatedNodes
import Testing
import TestSupport

@Suite("Node lifecycle controller")
struct NodeLifecycleControllerTests {
    @Test("A node whose heartbeat stopped goes Unknown and tainted; its pods are evicted when their tolerations run out")
    func silentNodeIsTaintedAndDrained() async throws {
        try await InProcessCluster.with { cluster in
            let client = cluster.client
            let stale = Time(Date().addingTimeInterval(-120))
            var node = SimulatedNodeShape().node(name: "n1", index: 0, now: stale)
            node.metadata?.creationTimestamp = stale
            _ = try await client.create(node)
            let patch = #"{"status":{"conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"\#(stale)"}]}}"#
            _ = try await client.request(method: "PATCH", path: "/api/v1/nodes/n1/status", body: Data(patch.utf8),
                                         contentType: "application/merge-patch+json")
            for (name, seconds) in [("quick", 0), ("patient", 3600)] {
                _ = try await client.create(Pod(metadata: ObjectMeta(name: name, namespace: "default"), spec: PodSpec(
                    containers: [Container(image: "busybox:1.36", name: "a")], nodeName: "n1",
                    tolerations: [Toleration(effect: "NoExecute", key: "node.kubernetes.io/unreachable", operator: "Exists",
                                             tolerationSeconds: Int64(seconds))])))
            }
            let nodes = Informer<Node>(client: client)
            let pods = Informer<Pod>(client: client)
            let controller = NodeLifecycleController(client: client, nodes: nodes, pods: pods,
                                                     configuration: .init(monitorPeriod: .milliseconds(100)))
            let running = Task {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await nodes.run() }
                    group.addTask { await pods.run() }
                    group.addTask { await controller.run() }
                }
            }
            defer { running.cancel() }
            try await eventually("the node Unknown and tainted") {
                let node = try await client.get(Node.self, name: "n1")
                return node.status?.conditions?.first { $0.type == "Ready" }?.status == "Unknown"
                    && node.spec?.taints?.contains { $0.key == "node.kubernetes.io/unreachable" && $0.effect == "NoExecute" } == true
            }
            try await eventually("the intolerant pod marked for deletion") {
                try await client.get(Pod.self, name: "quick", namespace: "default").metadata?.deletionTimestamp != nil
            }
            #expect(try await client.get(Pod.self, name: "patient", namespace: "default").metadata?.deletionTimestamp == nil)

            // Deleting the node collects its pods.
            try await client.delete(Node.self, name: "n1")
            try await eventually("the node's pods gone") {
                try await client.listItems(Pod.self, namespace: "default").items.isEmpty
            }
        }
    }
}
