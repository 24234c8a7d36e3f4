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

    /// How many counted pods, not terminating, are on the node.
    func count(on node: NodeInfo, namespace: String) -> Int {
        switch self {
        case .owner(let owner):
            return node.podCountBySpreadingOwner[owner] ?? 0
        case .labels(let matcher):
            if node.podCount == 0 || matcher.isEverything || matcher.isNothing { return 0 }
            var count = 0
            for pod in node.pods.values
            where !pod.isTerminating && pod.key.namespace == namespace && matcher.matches(pod.labels) {
                count += 1
            }
            return count
        }
    }
}
