import APIClient
import APIModel
import ControllerRuntime
import Foundation
import Logging

/// Gives every Node without `spec.podCIDR` one of the cluster's pod networks (`PodCIDRAllocator`), as
/// kube-controller-manager's node IPAM controller: agents that join register without a network and wait for
/// this one, so no two nodes share addresses and routes between nodes follow from the Nodes alone.
///
/// Contract: nothing is assigned before the node informer has synced (every network already in use is known
/// first); each node is patched once (a node whose update has not come back yet is not given a second one); a node's network is freed when the node is deleted; a node that already has a pod CIDR keeps it.
/// Runs on the leader only (it is one of the controllers), so two servers never hand out the same network.
public final class NodeIPAMController: Sendable {
    let client: KubernetesClient
    let nodes: Informer<Node>
    let logger: Logger

    public init(client: KubernetesClient, nodes: Informer<Node>, logger: Logger = Logger(label: "skiff.node-ipam")) {
        self.client = client
        self.nodes = nodes
        self.logger = logger
    }

    public func run() async {
        await nodes.waitForSync()
        let events = nodes.subscribe()
        var allocator = PodCIDRAllocator()
        // Every network in use is taken in before the first assignment.
        for node in nodes.list() {
            if let cidr = Self.podCIDR(of: node) { allocator.occupy(cidr) }
        }
        var assigned: [String: String] = [:]
        for await event in events {
            switch event {
            case .added(let node), .updated(_, let node):
                guard let name = node.metadata?.name else { continue }
                if let cidr = Self.podCIDR(of: node) {
                    allocator.occupy(cidr)
                } else if assigned[name] == nil {
                    assigned[name] = await assign(name, allocator: &allocator)
                }
            case .deleted(let node):
                if let cidr = Self.podCIDR(of: node) { allocator.release(cidr) }
                if let name = node.metadata?.name, let cidr = assigned.removeValue(forKey: name) { allocator.release(cidr) }
            }
        }
    }

    private static func podCIDR(of node: Node) -> String? {
        guard let cidr = node.spec?.podCIDR, !cidr.isEmpty else { return node.spec?.podCIDRs?.first }
        return cidr
    }

    /// Patches a free network into the node; returns it, or nil when none is left or the patch failed.
    private func assign(_ name: String, allocator: inout PodCIDRAllocator) async -> String? {
        guard let cidr = allocator.allocate() else {
            logger.error("no pod network left in \(allocator.clusterCIDR) for node \(name)")
            return nil
        }
        let patch: JSONValue = .object(["spec": .object(["podCIDR": .string(cidr.description),
                                                         "podCIDRs": .array([.string(cidr.description)])])])
        do {
            _ = try await client.patch(Node.self, name: name, resource: Node.resourcePath, mergePatch: patch)
            logger.info("node \(name) gets pod network \(cidr)")
            return cidr.description
        } catch {
            allocator.release(cidr.description)
            logger.warning("assigning pod network \(cidr) to node \(name): \(error)")
            return nil
        }
    }
}
