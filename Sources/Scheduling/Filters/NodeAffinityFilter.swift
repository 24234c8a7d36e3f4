/// Kubernetes' NodeAffinity filter: the node must satisfy the pod's `nodeSelector` and
/// required node affinity.
public enum NodeAffinityFilter {
    public static let reason = "node(s) didn't match Pod's node affinity/selector"

    public static func filter(_ pod: PodToSchedule, on node: NodeInfo) -> FilterRejection? {
        pod.requiredAffinity.matches(node) ? nil : FilterRejection(plugin: .nodeAffinity, reason: reason)
    }
}
