import APIModel

/// A node and the pods assigned to it (bound or assumed), with the sums that filtering
/// and scoring read kept up to date as pods come and go (Kubernetes' `framework.NodeInfo`).
///
/// Everything here is precomputed: the node's allocatable, labels and taints, the summed
/// requests, the used host ports and the per-owner pod counts; adding or removing a pod
/// costs O(its containers), never a rescan of the node.
public struct NodeInfo: Sendable {
    /// The node's name.
    public let name: String
    /// The node object; nil while the node is unknown (its pods arrived first) or after it
    /// was deleted while pods were still assigned to it.
    public private(set) var node: Node?
    /// The node's labels.
    public private(set) var labels: [String: String] = [:]
    /// The node's taints.
    public private(set) var taints: [Taint] = []
    /// Whether `spec.unschedulable` is set.
    public private(set) var isUnschedulable = false
    /// The node's allocatable resources and pod count.
    public private(set) var allocatable = NodeAllocatable(resources: .zero, allowedPodCount: 0)

    /// The pods assigned to the node, by key.
    public private(set) var pods: [PodKey: AssignedPod] = [:]
    /// The sum of the pods' effective requests.
    public private(set) var requested = ResourceAmounts.zero
    /// The sum of the pods' non-zero CPU requests (millicores), for scoring.
    public private(set) var nonZeroRequestedMilliCPU: Int64 = 0
    /// The sum of the pods' non-zero memory requests (bytes), for scoring.
    public private(set) var nonZeroRequestedMemory: Int64 = 0
    /// The host ports the pods use.
    public private(set) var usedPorts = HostPortUsage()
    /// How many non-terminating pods of each spreading owner are on the node.
    public private(set) var podCountBySpreadingOwner: [SpreadingOwner: Int] = [:]

    /// An entry for the node named `name`, with no node object yet and no pods.
    public init(name: String) {
        self.name = name
    }

    /// An entry for `node`, with no pods.
    public init(node: Node) {
        self.init(name: node.metadata?.name ?? "")
        setNode(node)
    }

    /// The number of pods on the node.
    public var podCount: Int { pods.count }

    /// Replaces the node object and its precomputed fields; the pods stay.
    public mutating func setNode(_ node: Node) {
        self.node = node
        labels = node.metadata?.labels ?? [:]
        taints = node.spec?.taints ?? []
        isUnschedulable = node.spec?.unschedulable ?? false
        allocatable = NodeAllocatable(node.status)
    }

    /// Forgets the node object (the node was deleted); the pods stay until removed.
    public mutating func clearNode() {
        node = nil
    }

    /// Adds a pod, or replaces the pod with the same key.
    public mutating func add(_ pod: AssignedPod) {
        if pods[pod.key] != nil { remove(pod.key) }
        pods[pod.key] = pod
        requested += pod.requests.requests
        nonZeroRequestedMilliCPU += pod.requests.nonZeroMilliCPU
        nonZeroRequestedMemory += pod.requests.nonZeroMemory
        usedPorts.add(pod.hostPorts)
        if let owner = pod.spreadingOwner, !pod.isTerminating {
            podCountBySpreadingOwner[owner, default: 0] += 1
        }
    }

    /// Removes the pod with this key, if present, and returns it.
    @discardableResult
    public mutating func remove(_ key: PodKey) -> AssignedPod? {
        guard let pod = pods.removeValue(forKey: key) else { return nil }
        requested -= pod.requests.requests
        nonZeroRequestedMilliCPU -= pod.requests.nonZeroMilliCPU
        nonZeroRequestedMemory -= pod.requests.nonZeroMemory
        usedPorts.remove(pod.hostPorts)
        if let owner = pod.spreadingOwner, !pod.isTerminating {
            let count = (podCountBySpreadingOwner[owner] ?? 0) - 1
            podCountBySpreadingOwner[owner] = count > 0 ? count : nil
        }
        return pod
    }
}
