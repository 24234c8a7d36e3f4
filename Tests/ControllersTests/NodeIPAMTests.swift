import APIClient
import APIModel
import ControllerRuntime
import Controllers
import Foundation
import Testing
import TestSupport

@Suite("Node IPAM")
struct NodeIPAMTests {
    @Test("Networks are /24s of 10.42.0.0/16, lowest free first; taken ones are skipped, released ones reused")
    func allocator() {
        var allocator = PodCIDRAllocator()
        #expect(allocator.capacity == 256)
        allocator.occupy("10.42.0.0/24")
        allocator.occupy("10.128.0.0/24")  // outside the cluster CIDR: ignored
        allocator.occupy("10.42.2.0/23")   // another size: ignored
        #expect(allocator.allocate()?.description == "10.42.1.0/24")
        #expect(allocator.allocate()?.description == "10.42.2.0/24")
        allocator.release("10.42.1.0/24")
        #expect(allocator.allocate()?.description == "10.42.1.0/24")

        var small = PodCIDRAllocator(clusterCIDR: IPv4CIDR("10.42.0.0/23")!, nodePrefixLength: 24)
        #expect(small.allocate()?.description == "10.42.0.0/24")
        #expect(small.allocate()?.description == "10.42.1.0/24")
        #expect(small.allocate() == nil)
    }

    @Test("Nodes without a pod network get distinct ones; nodes that have one keep it; the field cannot change after")
    func assignsNetworks() async throws {
        try await InProcessCluster.with { cluster in
            let client = cluster.client
            _ = try await client.create(Node(metadata: ObjectMeta(name: "has"),
                                             spec: NodeSpec(podCIDR: "10.42.0.0/24", podCIDRs: ["10.42.0.0/24"])))
            _ = try await client.create(Node(metadata: ObjectMeta(name: "early")))
            let nodes = Informer<Node>(client: client)
            let controller = NodeIPAMController(client: client, nodes: nodes)
            let running = Task {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await nodes.run() }
                    group.addTask { await controller.run() }
                }
            }
            defer { running.cancel() }
            for name in ["a", "b", "c"] { _ = try await client.create(Node(metadata: ObjectMeta(name: name))) }
            var assigned: [String: String] = [:]
            try await eventually("every node has a pod network") {
                let (items, _) = try await client.listItems(Node.self)
                assigned = Dictionary(uniqueKeysWithValues: items.compactMap { node in
                    node.spec?.podCIDR.map { (node.metadata?.name ?? "", $0) }
                })
                return assigned.count == 5
            }
            #expect(assigned["has"] == "10.42.0.0/24")
            #expect(Set(assigned.values).count == 5)
            #expect(Set(assigned.values).isSubset(of: (0..<5).map { "10.42.\($0).0/24" }))
            let early = try await client.get(Node.self, name: "early")
            #expect(early.spec?.podCIDRs == [early.spec?.podCIDR ?? ""])

            var changed = early
            changed.spec?.podCIDR = "10.42.99.0/24"
            changed.spec?.podCIDRs = ["10.42.99.0/24"]
            await #expect(throws: KubernetesClientError.self) { _ = try await client.update(changed) }

            // A deleted node's network goes to the next node.
            let freed = assigned["b"]!
            try await client.delete(Node.self, name: "b")
            try await Task.sleep(for: .milliseconds(200))
            _ = try await client.create(Node(metadata: ObjectMeta(name: "d")))
            try await eventually("d gets the freed network") {
                try await client.get(Node.self, name: "d").spec?.podCIDR == freed
            }
        }
    }
}
