import APIModel

/// Which pods a spread constraint counts.
public enum SpreadSelection: Sendable {
    /// Pods in the pod's namespace whose labels match (an explicit constraint). An empty
    /// selector counts no pods, as in Kubernetes (`countPodsMatchSelector`).
    case labels(LabelMatcher)
    /// Pods of the same spreading owner (the system default constraints; see
    /// ``SpreadingOwner``). Counted from the node's per-owner index in O(1).
    case owner(SpreadingOwner)

    /// Whether the pod being scheduled is itself one of the counted pods.
    func selects(_ pod: PodToSchedule) -> Bool {
        switch self {
        case .labels(let matcher): matcher.matches(pod.labels)
        case .owner(let owner): pod.spreadingOwner == owner
        }
    }

    /// How many counted pods, not terminating, are on each of `nodes` (in the same
    /// order): the selection is examined once, not once per node.
    func counts(on nodes: [NodeInfo], at indices: [Int]? = nil, namespace: String) -> [Int] {
        switch self {
        case .owner(let owner):
            if let indices { return indices.map { nodes[$0].podCountBySpreadingOwner[owner] ?? 0 } }
            return nodes.map { $0.podCountBySpreadingOwner[owner] ?? 0 }
        case .labels(let matcher):
            if matcher.isEverything || matcher.isNothing { return Array(repeating: 0, count: indices?.count ?? nodes.count) }
            if let indices { return indices.map { Self.count(matcher, on: nodes[$0], namespace: namespace) } }
            return nodes.map { Self.count(matcher, on: $0, namespace: namespace) }
        }
    }

    private static func count(_ matcher: LabelMatcher, on node: NodeInfo, namespace: String) -> Int {
        guard node.podCount > 0 else { return 0 }
        var count = 0
        for pod in node.pods.values
        where !pod.isTerminating && pod.key.namespace == namespace && matcher.matches(pod.labels) {
            count += 1
        }
        return count
    }
}
