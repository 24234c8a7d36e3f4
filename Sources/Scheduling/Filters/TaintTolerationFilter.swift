/// Kubernetes' TaintToleration filter: a node with a `NoSchedule` or `NoExecute` taint the
/// pod does not tolerate is rejected, naming the first such taint.
public enum TaintTolerationFilter {
    /// The effects the filter enforces.
    public static let filteredEffects: Set<String> = [TaintEffect.noSchedule, TaintEffect.noExecute]

    public static func filter(_ pod: PodToSchedule, on node: NodeInfo) -> FilterRejection? {
        guard let taint = pod.tolerations.firstUntolerated(in: node.taints, effects: filteredEffects) else { return nil }
        return FilterRejection(plugin: .taintToleration,
                               reason: "node(s) had untolerated taint {\(taint.key ?? ""): \(taint.value ?? "")}")
    }
}
