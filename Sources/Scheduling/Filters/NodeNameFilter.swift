/// Kubernetes' NodeName filter: a pod that names a node (`spec.nodeName`) fits only there.
public enum NodeNameFilter {
    public static let reason = "node(s) didn't match the requested node name"

    private static let rejection = FilterRejection(plugin: .nodeName, reason: reason)

    public static func filter(_ pod: PodToSchedule, on node: NodeInfo) -> FilterRejection? {
        guard let wanted = pod.requestedNodeName, wanted != node.name else { return nil }
        return rejection
    }
}
