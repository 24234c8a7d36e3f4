import APIModel

/// What a node offers to pods: its allocatable resources and pod count
/// (`status.allocatable`, or `status.capacity` where allocatable is not reported, as the
/// kubelet reports capacity until it computes allocatable).
public struct NodeAllocatable: Hashable, Sendable {
    /// The allocatable amounts.
    public var resources: ResourceAmounts
    /// How many pods the node accepts (`pods`; 0 when not reported, as in Kubernetes,
    /// which then admits no pod).
    public var allowedPodCount: Int

    public init(resources: ResourceAmounts, allowedPodCount: Int) {
        self.resources = resources
        self.allowedPodCount = allowedPodCount
    }

    /// The allocatable of a node's status.
    public init(_ status: NodeStatus?) {
        let list = status?.allocatable ?? status?.capacity ?? [:]
        resources = ResourceAmounts(list)
        allowedPodCount = list[ResourceName.pods].map { Int(clamping: $0.value) } ?? 0
    }
}
