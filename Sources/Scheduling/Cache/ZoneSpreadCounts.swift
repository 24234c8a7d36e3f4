/// Per zone (`topology.kubernetes.io/zone` value), over the known nodes that carry a zone
/// label: how many nodes there are, and how many non-terminating pods of each spreading
/// owner and with each label. The cache keeps these up to date, so that spreading over
/// zones needs no scan of the nodes when every node counts (see
/// ``SpreadConstraint/includesEveryNode(for:)``).
public struct ZoneSpreadCounts: Sendable {
    /// What a count is about: the pods of an owner, or the pods with a label.
    enum Group: Hashable, Sendable {
        case owner(SpreadingOwner)
        case label(LabelIndexKey)
    }

    private var counts: [Group: [String: Int]] = [:]
    private var nodesPerZone: [String: Int] = [:]

    public init() {}

    /// The zones of the known nodes.
    public var zones: [String] { Array(nodesPerZone.keys) }

    /// The owner's pods in the zone.
    public func count(of owner: SpreadingOwner, inZone zone: String) -> Int {
        counts[.owner(owner)]?[zone] ?? 0
    }

    /// The pods with the label (in its namespace) in the zone.
    public func count(withLabel label: LabelIndexKey, inZone zone: String) -> Int {
        counts[.label(label)]?[zone] ?? 0
    }

    /// Counts (`delta` 1) or uncounts (`delta` −1) a pod on a node of the zone.
    mutating func adjust(for pod: AssignedPod, zone: String, by delta: Int) {
        guard !pod.isTerminating else { return }
        if let owner = pod.spreadingOwner { adjust(.owner(owner), zone: zone, by: delta) }
        for label in pod.labelIndexKeys { adjust(.label(label), zone: zone, by: delta) }
    }

    /// Adds (`sign` 1) or removes (`sign` −1) a node and its pods, if the node has a zone.
    mutating func apply(_ node: NodeInfo, sign: Int) {
        guard let zone = node.topologyValue(.zone) else { return }
        let nodes = (nodesPerZone[zone] ?? 0) + sign
        nodesPerZone[zone] = nodes > 0 ? nodes : nil
        for (owner, count) in node.podCountBySpreadingOwner { adjust(.owner(owner), zone: zone, by: sign * count) }
        for (label, count) in node.labelsWithPods { adjust(.label(label), zone: zone, by: sign * count) }
    }

    private mutating func adjust(_ group: Group, zone: String, by delta: Int) {
        let updated = (counts[group]?[zone] ?? 0) + delta
        if updated > 0 {
            counts[group, default: [:]][zone] = updated
        } else {
            counts[group]?[zone] = nil
            if counts[group]?.isEmpty == true { counts[group] = nil }
        }
    }
}
