/// Why no node fits a pod: the rejection of every node, summarized as Kubernetes does
/// (`framework.FitError`).
public struct FitError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The pod that did not fit.
    public var pod: PodKey
    /// The number of nodes in the cluster.
    public var nodeCount: Int
    /// Each rejected node's rejection, by node name.
    public var rejections: [String: FilterRejection]

    public init(pod: PodKey, nodeCount: Int, rejections: [String: FilterRejection]) {
        self.pod = pod
        self.nodeCount = nodeCount
        self.rejections = rejections
    }

    /// The plugins that rejected at least one node; the queue parks the pod until a
    /// cluster event one of them cares about.
    public var unschedulablePlugins: Set<PluginName> {
        Set(rejections.values.map(\.plugin))
    }

    /// Kubernetes' message: `0/N nodes are available: ` then each distinct reason with the
    /// number of nodes giving it, as `count reason`, sorted as strings and joined with
    /// `, `, then `.` — e.g. `0/3 nodes are available: 3 Insufficient cpu.` With no nodes
    /// at all it is Kubernetes' `no nodes available to schedule pods`.
    public var message: String {
        guard nodeCount > 0 else { return "no nodes available to schedule pods" }
        var histogram: [String: Int] = [:]
        for rejection in rejections.values {
            for reason in rejection.reasons { histogram[reason, default: 0] += 1 }
        }
        var message = "0/\(nodeCount) nodes are available:"
        if !histogram.isEmpty {
            let entries = histogram.map { "\($0.value) \($0.key)" }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            message += " " + entries.joined(separator: ", ") + "."
        }
        return message
    }

    public var description: String { message }
}
