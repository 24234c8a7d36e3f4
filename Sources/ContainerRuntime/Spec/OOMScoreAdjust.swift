/// The kubelet's `oom_score_adj` for a container (pkg/kubelet/qos/policy.go): which containers the kernel's
/// OOM killer takes first when the node runs out of memory.
public enum OOMScoreAdjust {
    static let guaranteed = -997
    static let bestEffort = 1000

    /// Guaranteed (and critical) pods: -997. BestEffort: 1000. Burstable:
    /// `1000 - 1000 * memoryRequest / memoryCapacity`, kept within 3 … 999 so that burstable containers rank
    /// between the other two classes.
    public static func value(qosClass: String, memoryRequest: Int64, memoryCapacity: Int64,
                             critical: Bool = false) -> Int {
        if critical || qosClass == "Guaranteed" { return guaranteed }
        if qosClass == "BestEffort" || memoryCapacity <= 0 { return bestEffort }
        let score = 1000 - Int((1000 * memoryRequest) / memoryCapacity)
        if score < 1000 + guaranteed { return 1000 + guaranteed }
        if score == bestEffort { return bestEffort - 1 }
        return score
    }
}
