/// Kubernetes' PodTopologySpread filter for `whenUnsatisfiable: DoNotSchedule`
/// constraints.
///
/// ``init(pod:nodes:)`` is the PreFilter step, run once per scheduling attempt: over the
/// nodes that carry every constraint's topology key and pass its inclusion policies, it
/// counts the matching pods per domain. That costs one index lookup per node for
/// owner-based and single-label selectors; other selectors also scan the pods that carry
/// their first equality label (see ``SpreadSelection``). ``filter(_:on:)`` then costs a
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

    /// Counts the domains of the pod's hard constraints over all nodes.
    public init(pod: PodToSchedule, nodes: [NodeInfo]) {
        let constraints = pod.hardSpreadConstraints
        self.constraints = constraints
        guard !constraints.isEmpty else {
            selfMatch = []
            counts = []
            minimum = []
            return
        }
        let hasAllKeys = nodes.map { node in constraints.allSatisfy { node.topologyValue($0.topologyKey) != nil } }
        counts = constraints.map { constraint in
            let matching = constraint.selection.counts(on: nodes, namespace: pod.key.namespace)
            let includesEveryNode = constraint.includesEveryNode(for: pod)
            var domains = DomainCounts()
            for (index, node) in nodes.enumerated()
            where hasAllKeys[index] && (includesEveryNode || constraint.includes(node, for: pod)) {
                domains.add(matching[index], to: node.topologyValue(constraint.topologyKey) ?? "")
            }
            return domains
        }
        selfMatch = constraints.map { $0.selection.selects(pod) ? 1 : 0 }
        minimum = zip(constraints, counts).map { constraint, domains in
            if domains.domainCount < constraint.minDomains { return 0 }
            return domains.minimum ?? Int(Int32.max)
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
