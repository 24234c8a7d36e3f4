import APIModel

/// Kubernetes' NodeUnschedulable filter: a cordoned node (`spec.unschedulable`) takes only
/// pods tolerating `node.kubernetes.io/unschedulable:NoSchedule`.
public enum NodeUnschedulableFilter {
    public static let reason = "node(s) were unschedulable"
    /// The taint a pod must tolerate to land on a cordoned node.
    public static let unschedulableTaint = Taint(effect: TaintEffect.noSchedule, key: "node.kubernetes.io/unschedulable")

    private static let rejection = FilterRejection(plugin: .nodeUnschedulable, reason: reason)

    public static func filter(_ pod: PodToSchedule, on node: NodeInfo) -> FilterRejection? {
        guard node.isUnschedulable, !unschedulableTaint.isTolerated(by: pod.tolerations) else { return nil }
        return rejection
    }
}
