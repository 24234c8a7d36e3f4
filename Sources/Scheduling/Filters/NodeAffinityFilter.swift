/// Kubernetes' NodeAffinity filter: the node must satisfy the pod's `nodeSelector` and
/// required node affinity.
///
/// Its PreFilter step (``candidateNodeNames(_:)``) narrows the search to the nodes named
/// by `metadata.name In` fields, as DaemonSet pods carry; the nodes left out count as
/// ``notCandidateReason`` in the ``FitError``.
public enum NodeAffinityFilter {
    public static let reason = "node(s) didn't match Pod's node affinity/selector"
    /// The reason of the nodes the PreFilter step left out.
    public static let notCandidateReason = "node(s) didn't satisfy plugin(s) [NodeAffinity]"
    /// The PreFilter rejection when the terms name no node at all.
    public static let conflictReason = "pod affinity terms conflict"

    private static let rejection = FilterRejection(plugin: .nodeAffinity, reason: reason)

    public static func filter(_ pod: PodToSchedule, on node: NodeInfo) -> FilterRejection? {
        pod.requiredAffinity.matches(node) ? nil : rejection
    }

    /// The only nodes worth filtering for the pod, or nil for all of them.
    public static func candidateNodeNames(_ pod: PodToSchedule) -> Set<String>? {
        pod.requiredAffinity.nodeNames
    }
}
