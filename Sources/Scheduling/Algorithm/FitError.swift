/// Why no node fits a pod: the rejection of every node, summarized as Kubernetes does
/// (`framework.FitError`).
public struct FitError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The pod that did not fit.
    public var pod: PodKey
    /// The number of nodes in the cluster.
    public var nodeCount: Int
    /// The rejections of the nodes that were filtered, by node name.
    public var rejections: [String: FilterRejection]
    /// The rejection of every node not in ``rejections``: the nodes a PreFilter step left
    /// out before filtering.
    public var otherNodesRejection: FilterRejection?
    /// A PreFilter rejection that rules out every node at once; its message replaces the
    /// per-node reasons.
    public var preFilterRejection: FilterRejection?

    public init(pod: PodKey, nodeCount: Int, rejections: [String: FilterRejection],
                otherNodesRejection: FilterRejection? = nil, preFilterRejection: FilterRejection? = nil) {
        self.pod = pod
        self.nodeCount = nodeCount
        self.rejections = rejections
        self.otherNodesRejection = otherNodesRejection
        self.preFilterRejection = preFilterRejection
    }

    /// The plugins that rejected at least one node; the queue parks the pod until a
    /// cluster event one of them cares about.
    public var unschedulablePlugins: Set<PluginName> {
        var plugins = Set(rejections.values.map(\.plugin))
        if let otherNodesRejection, rejections.count < nodeCount { plugins.insert(otherNodesRejection.plugin) }
        if let preFilterRejection { plugins.insert(preFilterRejection.plugin) }
        return plugins
    }

    /// Kubernetes' message: `0/N nodes are available: ` then each distinct reason with the
    /// number of nodes giving it, as `count reason`, sorted as strings and joined with
    /// `, `, then `.` — e.g. `0/3 nodes are available: 3 Insufficient cpu.` A PreFilter
    /// rejection gives its reason alone (`0/3 nodes are available: pod affinity terms
    /// conflict.`). With no nodes at all it is Kubernetes' `no nodes available to schedule
    /// pods`.
    public var message: String {
        guard nodeCount > 0 else { return "no nodes available to schedule pods" }
        var message = "0/\(nodeCount) nodes are available:"
        if let preFilterRejection {
            return message + " " + preFilterRejection.reasons.joined(separator: ", ") + "."
        }
        var histogram: [String: Int] = [:]
        for rejection in rejections.values {
            for reason in rejection.reasons { histogram[reason, default: 0] += 1 }
        }
        if let otherNodesRejection, rejections.count < nodeCount {
            for reason in otherNodesRejection.reasons { histogram[reason, default: 0] += nodeCount - rejections.count }
        }
        if !histogram.isEmpty {
            let entries = histogram.map { "\($0.value) \($0.key)" }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            message += " " + entries.joined(separator: ", ") + "."
        }
        return message
    }

    public var description: String { message }
}
