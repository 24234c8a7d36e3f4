import Foundation

/// Kubernetes' NodeResourcesBalancedAllocation score (weight 1): favors nodes whose cpu
/// and memory would be used in equal fractions. With the fractions `requested /
/// allocatable` (capped at 1; requested is the node's actual requests plus the pod's), the
/// score is `(1 − |f_cpu − f_mem| / 2) × 100`, truncated; a resource the node does not
/// report is left out (one resource left scores 100).
public enum BalancedAllocationScore: ScorePlugin {
    public static let name = PluginName.nodeResourcesBalancedAllocation
    public static let weight: Int64 = 1

    public static func scores(for pod: PodToSchedule, candidates: [Int], nodes: [NodeInfo]) -> [Int64] {
        candidates.map { score(pod, on: nodes[$0]) }
    }

    /// The score of one node.
    public static func score(_ pod: PodToSchedule, on node: NodeInfo) -> Int64 {
        let resources: [(allocatable: Int64, requested: Int64)] = [
            (node.allocatable.resources.milliCPU, node.requested.milliCPU + pod.requests.requests.milliCPU),
            (node.allocatable.resources.memory, node.requested.memory + pod.requests.requests.memory),
        ]
        let fractions = resources.filter { $0.allocatable != 0 }.map {
            min(1, Double($0.requested) / Double($0.allocatable))
        }
        let deviation = fractions.count == 2 ? abs(fractions[0] - fractions[1]) / 2 : 0
        return Int64((1 - deviation) * Double(maxNodeScore))
    }
}
