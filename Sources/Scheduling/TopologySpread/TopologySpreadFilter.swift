/// Kubernetes' PodTopologySpread filter for `whenUnsatisfiable: DoNotSchedule`
/// constraints.
///
/// ``init(pod:nodes:)`` is the PreFilter step, run once per scheduling attempt: over the
/// nodes that carry every constraint's topology key and pass its inclusion policies, it
/// counts the matching pods per domain (O(nodes) for owner-based selections, O(pods) for
/// label selectors). ``filter(_:on:)`` then costs a dictionary lookup per constraint:
/// a node fits when, for each constraint, `matching pods in its domain + (1 if the pod
/// itself matches) − the global minimum ≤ maxSkew`, where the global minimum is 0 when
/// fewer than `minDomains` domains exist.
public struct TopologySpreadFilter: Sendable {
    public static let reason = "node(s) didn't match pod topology spread constraints"
    public static let missingLabelReason = reason + " (missing required label)"

    private let constraints: [SpreadConstraint]
    private let selfMatch: [Int]
    /// Per constraint: domain value → matching pods.
    private let counts: [[String: Int]]
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
        var counts = Array(repeating: [String: Int](), count: constraints.count)
        for node in nodes where constraints.allSatisfy({ node.topologyValue($0.topologyKey) != nil }) {
            for (index, constraint) in constraints.enumerated() where constraint.includes(node, for: pod) {
                let domain = node.topologyValue(constraint.topologyKey) ?? ""
                counts[index][domain, default: 0] += constraint.selection.count(on: node, namespace: pod.key.namespace)
            }
        }
        self.counts = counts
        selfMatch = constraints.map { $0.selection.selects(pod) ? 1 : 0 }
        minimum = zip(constraints, counts).map { constraint, domains in
            if domains.count < constraint.minDomains { return 0 }
            return domains.values.min() ?? Int(Int32.max)
        }
    }

    /// Whether placing the pod on the node keeps every hard constraint within its skew.
    public func filter(_ pod: PodToSchedule, on node: NodeInfo) -> FilterRejection? {
        for (index, constraint) in constraints.enumerated() {
            guard let domain = node.topologyValue(constraint.topologyKey) else {
                return FilterRejection(plugin: .podTopologySpread, reason: Self.missingLabelReason)
            }
            let skew = (counts[index][domain] ?? 0) + selfMatch[index] - minimum[index]
            if skew > constraint.maxSkew {
                return FilterRejection(plugin: .podTopologySpread, reason: Self.reason)
            }
        }
        return nil
    }
}
