/// Kubernetes' NodeResourcesFit score with the default LeastAllocated strategy over cpu
/// and memory (weight 1 each): `(allocatable − requested) × 100 / allocatable` per
/// resource, where requested is the node's non-zero requests plus the pod's, averaged by
/// weight; a resource the node does not report is left out, and an over-committed
/// resource scores 0.
public enum LeastAllocatedScore: NodeScorePlugin {
    public static let name = PluginName.nodeResourcesFit
    public static let weight: Int64 = 1

    /// The score of one node.
    public static func score(_ pod: PodToSchedule, on node: NodeInfo) -> Int64 {
        let allocatable = node.allocatable.resources
        var total: Int64 = 0
        var weights: Int64 = 0
        func add(allocatable: Int64, requested: Int64) {
            guard allocatable != 0 else { return }
            total += requested > allocatable ? 0 : (allocatable - requested) * maxNodeScore / allocatable
            weights += 1
        }
        add(allocatable: allocatable.milliCPU, requested: node.nonZeroRequestedMilliCPU + pod.requests.nonZeroMilliCPU)
        add(allocatable: allocatable.memory, requested: node.nonZeroRequestedMemory + pod.requests.nonZeroMemory)
        return weights == 0 ? 0 : total / weights
    }
}
