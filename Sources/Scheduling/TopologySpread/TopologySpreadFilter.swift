/// Kubernetes' PodTopologySpread filter for `whenUnsatisfiable: DoNotSchedule`
/// constraints.
///
/// ``init(pod:cache:)`` is the PreFilter step, run once per scheduling attempt: over the
/// nodes that carry every constraint's topology key and pass its inclusion policies, it
/// counts the matching pods per domain. That costs one index lookup per node for
/// owner-based and single-label selectors; other selectors also scan the pods that carry
/// their first equality label (see ``SpreadSelection``). A lone zone constraint over
/// every node with such a selector reads the cache's running per-zone counts instead
/// (``SchedulerCache/zoneSpreadCounts``), in O(zones). ``filter(_:on:)`` then costs a
/// domain lookup per constraint: a node fits when, for each constraint, `matching pods in
/// its domain + (1 if the pod itself matches) − the global minimum ≤ maxSkew`, where the
/// global minimum is 0 when fewer than `minDomains` domains exist.
public struct TopologySpreadFilter: Sendable {
    public static let reason = "node(s) didn't match pod topology spread constraints"
    public static let missingLabelReason = reason + " (missing required label)"
    private static let skewRejection = FilterRejection(plugin: .podTopologySpread, reason: reason)
    private static let missingLabelRejection = FilterRejection(plugin: .podTopologySpread, reason: missingLabelReason)

    private let constraints: [SpreadConstraint]
    private let selfMatch: [Int]
    /// Per constraint: matching pods per domain.
    private let counts: [DomainCounts]
    /// Per constraint: the global minimum to compare with.
    private let minimum: [Int]

    /// Whether the pod has no hard constraint (the filter passes every node).
    public var isEmpty: Bool { constraints.isEmpty }

    /// Counts the domains of the pod's hard constraints over the cache's nodes.
    public init(pod: PodToSchedule, cache: SchedulerCache) {
        let constraints = pod.hardSpreadConstraints
        self.constraints = constraints
        guard !constraints.isEmpty else {
            selfMatch = []
            counts = []
            minimum = []
            return
        }
        if constraints.count == 1, let zoneCounts = Self.zoneCounts(constraints[0], pod: pod, cache: cache) {
            counts = [zoneCounts]
        } else {
            counts = Self.scanCounts(constraints, pod: pod, nodes: cache.nodes)
        }
        selfMatch = constraints.map { $0.selection.selects(pod) ? 1 : 0 }
        minimum = zip(constraints, counts).map { constraint, domains in
            if domains.domainCount < constraint.minDomains { return 0 }
            return domains.minimum ?? Int(Int32.max)
        }
    }

    /// The per-zone counts of a zone constraint from the cache's running counts, when
    /// every zoned node counts and the selection is an owner or a single label.
    private static func zoneCounts(_ constraint: SpreadConstraint, pod: PodToSchedule,
                                   cache: SchedulerCache) -> DomainCounts? {
        guard constraint.topologyKey == .zone, constraint.includesEveryNode(for: pod),
              let count = constraint.selection.zoneCounter(cache.zoneSpreadCounts, namespace: pod.key.namespace)
        else { return nil }
        var domains = DomainCounts()
        for zone in cache.zoneSpreadCounts.zones { domains.add(count(zone), to: zone) }
        return domains
    }

    /// The per-domain counts of each constraint, by a pass over all nodes.
    private static func scanCounts(_ constraints: [SpreadConstraint], pod: PodToSchedule,
                                   nodes: [NodeInfo]) -> [DomainCounts] {
        let hasAllKeys = nodes.map { node in constraints.allSatisfy { node.topologyValue($0.topologyKey) != nil } }
        return constraints.map { constraint in
            let matching = constraint.selection.counts(on: nodes, namespace: pod.key.namespace)
            let includesEveryNode = constraint.includesEveryNode(for: pod)
            var domains = DomainCounts()
            for (index, node) in nodes.enumerated()
            where hasAllKeys[index] && (includesEveryNode || constraint.includes(node, for: pod)) {
                domains.add(matching[index], to: node.topologyValue(constraint.topologyKey) ?? "")
            }
            return domains
        }
    }

    /// Whether placing the pod on the node keeps every hard constraint within its skew.
    public func filter(_ pod: PodToSchedule, on node: NodeInfo) -> FilterRejection? {
        for index in constraints.indices {
            guard let domain = node.topologyValue(constraints[index].topologyKey) else {
                return Self.missingLabelRejection
            }
            let skew = (counts[index].count(of: domain) ?? 0) + selfMatch[index] - minimum[index]
            if skew > constraints[index].maxSkew {
                return Self.skewRejection
            }
        }
        return nil
    }
}
