import APIClient
import APIModel
import Foundation

/// What every node (real or simulated) says to the API to exist and stay alive: registration of its `Node`,
/// status posts, and the renewal of its Lease in `kube-node-lease` (the kubelet's heartbeat).
///
/// Contract: `register` creates the node, or — when it exists already (a restarted node) — posts the new
/// status and returns the stored node (whose `spec`, e.g. `podCIDR`, the caller may prefer to its own).
/// `renewLease` patches `spec.renewTime`, creating the Lease (holder = node name, 40 s) when it is missing.
public struct NodeHeartbeat: Sendable {
    public static let leaseNamespace = "kube-node-lease"
    public static let leaseDurationSeconds: Int32 = 40

    public let client: KubernetesClient

    public init(client: KubernetesClient) {
        self.client = client
    }

    /// Creates `node`, or posts its status when it is registered already; returns the node as stored.
    @discardableResult
    public func register(_ node: Node) async throws -> Node {
        do {
            return try await client.create(node)
        } catch let error as KubernetesClientError where error.isAlreadyExists {
            try await postStatus(node)
            return try await client.get(Node.self, name: node.metadata?.name ?? "")
        }
    }

    /// Merge-patches the node's `status`.
    public func postStatus(_ node: Node) async throws {
        let status = try JSONValue(parsing: try ModelJSON.encode(node.status))
        let patch: JSONValue = .object(["status": status])
        let response = try await client.request(
            method: "PATCH", path: ResourcePath.nodes.object(node.metadata?.name ?? "") + "/status",
            body: patch.serialized(), contentType: "application/merge-patch+json")
        guard response.isSuccess else { throw KubernetesClientError(httpStatus: response.status, body: response.body) }
    }

    /// Renews the node's Lease (creating it when missing).
    public func renewLease(_ name: String, now: MicroTime = .now()) async throws {
        let path = ResourcePath.leases.object(name, namespace: Self.leaseNamespace)
        let patch: JSONValue = .object(["spec": .object(["renewTime": .string(now.description)])])
        let renewed = try await client.request(method: "PATCH", path: path, body: patch.serialized(),
                                               contentType: "application/merge-patch+json")
        if renewed.isSuccess { return }
        guard renewed.status == 404 else {
            throw KubernetesClientError(httpStatus: renewed.status, body: renewed.body)
        }
        let lease = Lease(metadata: ObjectMeta(name: name, namespace: Self.leaseNamespace),
                          spec: LeaseSpec(holderIdentity: name, leaseDurationSeconds: Self.leaseDurationSeconds,
                                          renewTime: now))
        do { _ = try await client.create(lease) } catch let error as KubernetesClientError where error.isAlreadyExists {}
    }

    /// Whether the node's Ready condition is not True (the lifecycle controller marked it otherwise).
    public static func needsReadyRepost(_ node: Node?) -> Bool {
        node?.status?.conditions?.first(where: { $0.type == "Ready" })?.status != "True"
    }

    /// The conditions of a healthy node, as the kubelet reports them.
    public static func healthyConditions(now: Time, heartbeat: Time) -> [NodeCondition] {
        func condition(_ type: String, _ status: String, _ reason: String, _ message: String) -> NodeCondition {
            NodeCondition(lastHeartbeatTime: heartbeat, lastTransitionTime: now, message: message, reason: reason,
                          status: status, type: type)
        }
        return [
            condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        ]
    }
}
