import APIModel

/// Which pods a spread constraint counts.
public enum SpreadSelection: Sendable {
    /// Pods in the pod's namespace whose labels match (an explicit constraint). An empty
    /// selector counts no pods, as in Kubernetes (`countPodsMatchSelector`). Counted from
    /// each node's label index when the selector is one `key=value`; otherwise only nodes
    /// whose index has the selector's first `key=value` are scanned.
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
            let probe = Self.indexProbe(matcher, namespace: namespace)
            if let indices { return indices.map { Self.count(matcher, probe, on: nodes[$0], namespace: namespace) } }
            return nodes.map { Self.count(matcher, probe, on: $0, namespace: namespace) }
        }
    }

    /// The matching pods per zone from the cache's running counts, when the selection is
    /// an owner or a single label; nil otherwise.
    func zoneCounter(_ zones: ZoneSpreadCounts, namespace: String) -> ((String) -> Int)? {
        if case .owner(let owner) = self { return { zones.count(of: owner, inZone: $0) } }
        if let label = singleLabel(namespace: namespace) { return { zones.count(withLabel: label, inZone: $0) } }
        return nil
    }

    /// The one label (in `namespace`) this selection amounts to, when it is a label
    /// selector of a single `key=value` requirement.
    func singleLabel(namespace: String) -> LabelIndexKey? {
        guard case .labels(let matcher) = self, let probe = Self.indexProbe(matcher, namespace: namespace),
              probe.isWholeSelector else { return nil }
        return probe.label
    }

    /// The label index entry that every pod the matcher selects must carry: its first
    /// single-value equality (`key=value`, `key in (value)`) requirement, if any.
    private static func indexProbe(_ matcher: LabelMatcher, namespace: String)
        -> (label: LabelIndexKey, isWholeSelector: Bool)? {
        for requirement in matcher.requirements where requirement.values.count == 1 {
            switch requirement.operator {
            case .equals, .doubleEquals, .in:
                let label = LabelIndexKey(namespace: namespace, key: requirement.key, value: requirement.values[0])
                return (label, matcher.requirements.count == 1)
            default:
                continue
            }
        }
        return nil
    }

    /// The matching pods on one node: from the node's label index when the probe is the
    /// whole selector or finds no pod, else by scanning the node's pods.
    private static func count(_ matcher: LabelMatcher, _ probe: (label: LabelIndexKey, isWholeSelector: Bool)?,
                              on node: NodeInfo, namespace: String) -> Int {
        guard node.podCount > 0 else { return 0 }
        if let probe {
            let withLabel = node.podCount(withLabel: probe.label)
            if withLabel == 0 || probe.isWholeSelector { return withLabel }
        }
        var count = 0
        for pod in node.pods.values
        where !pod.isTerminating && pod.key.namespace == namespace && matcher.matches(pod.labels) {
            count += 1
        }
        return count
    }
}
