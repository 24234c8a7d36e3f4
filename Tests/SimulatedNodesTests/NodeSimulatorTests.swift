import APIClient
import APIModel
import Foundation
import SimulatedNodes
import Testing
import TestSupport

@Suite("Node simulator")
struct NodeSimulatorTests {
    @Test("Nodes register with capacity and leases, run their pods and finish deletions")
    func registersAndRunsPods() async throws {
        try await InProcessCluster.with { cluster in
            let client = cluster.client
            let simulator = NodeSimulator(client: client, configuration: .init(count: 2))
            let running = Task { try await simulator.run() }
            defer { running.cancel() }
            try await eventually("two nodes with leases") {
                let nodes = try await client.listItems(Node.self).items
                let leases = try await client.listItems(Lease.self, namespace: "kube-node-lease").items
                return nodes.count == 2 && leases.count == 2
            }
            let node = try await client.get(Node.self, name: "sim-node-1")
            #expect(node.status?.allocatable?["cpu"] == "32")
            #expect(node.status?.conditions?.first { $0.type == "Ready" }?.status == "True")
            #expect(node.spec?.podCIDR == "10.128.1.0/24")

            let pod = Pod(metadata: ObjectMeta(name: "p1", namespace: "default"),
                          spec: PodSpec(containers: [Container(image: "busybox:1.36", name: "a")], nodeName: "sim-node-1"))
            _ = try await client.create(pod)
            try await eventually("the pod running") {
                try await client.get(Pod.self, name: "p1", namespace: "default").status?.phase == "Running"
            }
            let runningPod = try await client.get(Pod.self, name: "p1", namespace: "default")
            #expect(runningPod.status?.podIP == "10.128.1.2")
            #expect(runningPod.status?.containerStatuses?.first?.ready == true)

            // A graceful deletion is finished by the node.
            try await client.delete(Pod.self, name: "p1", namespace: "default")
            try await eventually("the pod gone") {
                do { _ = try await client.get(Pod.self, name: "p1", namespace: "default"); return false } catch let error as KubernetesClientError {
                    return error.isNotFound
                }
            }
        }
    }
}
