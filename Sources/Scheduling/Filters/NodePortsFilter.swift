/// Kubernetes' NodePorts filter: every host port the pod asks for must be free on the node
/// (see ``HostPortUsage/conflicts(with:)``).
public enum NodePortsFilter {
    public static let reason = "node(s) didn't have free ports for the requested pod ports"

    private static let rejection = FilterRejection(plugin: .nodePorts, reason: reason)

    public static func filter(_ pod: PodToSchedule, on node: NodeInfo) -> FilterRejection? {
        guard !pod.hostPorts.isEmpty, !node.usedPorts.isEmpty,
              pod.hostPorts.contains(where: node.usedPorts.conflicts(with:)) else { return nil }
        return rejection
    }
}
