import APIModel

/// A node and the pods assigned to it (bound or assumed), with the sums that filtering
/// and scoring read kept up to date as pods come and go (Kubernetes' `framework.NodeInfo`).
///
/// Everything here is precomputed: the node's allocatable, labels, taints and well-known
/// topology labels, the summed requests, the used host ports, and the pod counts per
/// spreading owner and per label; adding or removing a pod costs O(its containers and
/// labels), never a rescan of the node.
///
/// A value type with copy-on-write storage: copying one (as iterating the cache's nodes
/// does) costs a single reference count, and mutating a shared copy copies it first.
public struct NodeInfo: Sendable {
    private final class Storage: @unchecked Sendable {
        // Mutated only through `NodeInfo`'s mutating methods after `makeUnique()`, so
        // never while shared: safe to send.
        let name: String
        var node: Node?
        var labels: [String: String] = [:]
        var hostnameLabel: String?
        var zoneLabel: String?
        var taints: [Taint] = []
        var isUnschedulable = false
        var allocatable = NodeAllocatable(resources: .zero, allowedPodCount: 0)
        var pods: [PodKey: AssignedPod] = [:]
        var requested = ResourceAmounts.zero
        var nonZeroRequestedMilliCPU: Int64 = 0
        var nonZeroRequestedMemory: Int64 = 0
        var usedPorts = HostPortUsage()
        var podCountBySpreadingOwner: [SpreadingOwner: Int] = [:]
        var podCountByLabel: [LabelIndexKey: Int] = [:]

        init(name: String) {
            self.name = name
        }

        func copy() -> Storage {
            let copy = Storage(name: name)
            copy.node = node
            copy.labels = labels
            copy.hostnameLabel = hostnameLabel
            copy.zoneLabel = zoneLabel
            copy.taints = taints
            copy.isUnschedulable = isUnschedulable
            copy.allocatable = allocatable
            copy.pods = pods
            copy.requested = requested
            copy.nonZeroRequestedMilliCPU = nonZeroRequestedMilliCPU
            copy.nonZeroRequestedMemory = nonZeroRequestedMemory
            copy.usedPorts = usedPorts
            copy.podCountBySpreadingOwner = podCountBySpreadingOwner
            copy.podCountByLabel = podCountByLabel
            return copy
        }
    }

    private var storage: Storage

    /// An entry for the node named `name`, with no node object yet and no pods.
    public init(name: String) {
        storage = Storage(name: name)
    }

    /// An entry for `node`, with no pods.
    public init(node: Node) {
        self.init(name: node.metadata?.name ?? "")
        setNode(node)
    }

    /// The node's name.
    public var name: String { storage.name }
    /// The node object; nil while the node is unknown (its pods arrived first) or after it
    /// was deleted while pods were still assigned to it.
    public var node: Node? { storage.node }
    /// The node's labels.
    public var labels: [String: String] { storage.labels }
    /// The node's taints.
    public var taints: [Taint] { storage.taints }
    /// Whether `spec.unschedulable` is set.
    public var isUnschedulable: Bool { storage.isUnschedulable }
    /// The node's allocatable resources and pod count.
    public var allocatable: NodeAllocatable { storage.allocatable }
    /// The pods assigned to the node, by key.
    public var pods: [PodKey: AssignedPod] { storage.pods }
    /// The number of pods on the node.
    public var podCount: Int { storage.pods.count }
    /// The sum of the pods' effective requests.
    public var requested: ResourceAmounts { storage.requested }
    /// The sum of the pods' non-zero CPU requests (millicores), for scoring.
    public var nonZeroRequestedMilliCPU: Int64 { storage.nonZeroRequestedMilliCPU }
    /// The sum of the pods' non-zero memory requests (bytes), for scoring.
    public var nonZeroRequestedMemory: Int64 { storage.nonZeroRequestedMemory }
    /// The host ports the pods use.
    public var usedPorts: HostPortUsage { storage.usedPorts }
    /// How many non-terminating pods of each spreading owner are on the node.
    public var podCountBySpreadingOwner: [SpreadingOwner: Int] { storage.podCountBySpreadingOwner }

    /// How many non-terminating pods in the label's namespace carry the label.
    public func podCount(withLabel label: LabelIndexKey) -> Int {
        storage.podCountByLabel[label] ?? 0
    }

    /// The labels of the node's non-terminating pods, with how many pods carry each.
    public var labelsWithPods: [LabelIndexKey: Int] { storage.podCountByLabel }

    /// The node's domain for a topology key (the label's value), with the hostname and
    /// zone labels read from fields kept at ``setNode(_:)`` rather than by hashing.
    public func topologyValue(_ key: TopologyKey) -> String? {
        switch key {
        case .hostname: storage.hostnameLabel
        case .zone: storage.zoneLabel
        case .label(let key): storage.labels[key]
        }
    }

    /// Replaces the node object and its precomputed fields; the pods stay.
    public mutating func setNode(_ node: Node) {
        makeUnique()
        storage.node = node
        storage.labels = node.metadata?.labels ?? [:]
        storage.hostnameLabel = storage.labels[TopologyKey.hostnameLabel]
        storage.zoneLabel = storage.labels[TopologyKey.zoneLabel]
        storage.taints = node.spec?.taints ?? []
        storage.isUnschedulable = node.spec?.unschedulable ?? false
        storage.allocatable = NodeAllocatable(node.status)
    }

    /// Forgets the node object (the node was deleted); the pods stay until removed.
    public mutating func clearNode() {
        makeUnique()
        storage.node = nil
    }

    /// Adds a pod, or replaces the pod with the same key.
    public mutating func add(_ pod: AssignedPod) {
        makeUnique()
        if storage.pods[pod.key] != nil { remove(pod.key) }
        storage.pods[pod.key] = pod
        storage.requested += pod.requests.requests
        storage.nonZeroRequestedMilliCPU += pod.requests.nonZeroMilliCPU
        storage.nonZeroRequestedMemory += pod.requests.nonZeroMemory
        if !pod.hostPorts.isEmpty { storage.usedPorts.add(pod.hostPorts) }
        if !pod.isTerminating {
            if let owner = pod.spreadingOwner { storage.podCountBySpreadingOwner[owner, default: 0] += 1 }
            for label in pod.labelIndexKeys { storage.podCountByLabel[label, default: 0] += 1 }
        }
    }

    /// Removes the pod with this key, if present, and returns it.
    @discardableResult
    public mutating func remove(_ key: PodKey) -> AssignedPod? {
        makeUnique()
        guard let pod = storage.pods.removeValue(forKey: key) else { return nil }
        storage.requested -= pod.requests.requests
        storage.nonZeroRequestedMilliCPU -= pod.requests.nonZeroMilliCPU
        storage.nonZeroRequestedMemory -= pod.requests.nonZeroMemory
        if !pod.hostPorts.isEmpty { storage.usedPorts.remove(pod.hostPorts) }
        if !pod.isTerminating {
            if let owner = pod.spreadingOwner { Self.decrement(&storage.podCountBySpreadingOwner, owner) }
            for label in pod.labelIndexKeys { Self.decrement(&storage.podCountByLabel, label) }
        }
        return pod
    }

    private static func decrement<Key: Hashable>(_ counts: inout [Key: Int], _ key: Key) {
        let count = (counts[key] ?? 0) - 1
        counts[key] = count > 0 ? count : nil
    }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }
}
