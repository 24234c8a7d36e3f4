import Foundation

/// Kubernetes' NodeResourcesBalancedAllocation score (weight 1): favors nodes whose cpu
/// and memory would be used in equal fractions. With the fractions `requested /
/// allocatable` (capped at 1; requested is the node's actual requests plus the pod's), the
/// score is `(1 − |f_cpu − f_mem| / 2) × 100`, truncated; a resource the node does not
/// report is left out (one resource left scores 100).
public enum BalancedAllocationScore: NodeScorePlugin {
    public static let name = PluginName.nodeResourcesBalancedAllocation
    public static let weight: Int64 = 1

    /// The score of one node.
    public static func score(_ pod: PodToSchedule, on node: NodeInfo) -> Int64 {
        let allocatable = node.allocatable.resources
        let requested = node.requested
        func fraction(_ requested: Int64, _ allocatable: Int64) -> Double? {
            allocatable == 0 ? nil : min(1, Double(requested) / Double(allocatable))
        }
        guard let cpu = fraction(requested.milliCPU + pod.requests.requests.milliCPU, allocatable.milliCPU),
              let memory = fraction(requested.memory + pod.requests.requests.memory, allocatable.memory) else {
            return maxNodeScore  // one resource or none: no deviation
        }
        return Int64((1 - abs(cpu - memory) / 2) * Double(maxNodeScore))
    }
}
