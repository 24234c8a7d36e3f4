/// The highest score a plugin gives a node (Kubernetes' `framework.MaxNodeScore`).
public let maxNodeScore: Int64 = 100

/// A score plugin: for the candidate nodes (indices into the cache's nodes), one score each,
/// already normalized to 0...``maxNodeScore``; the algorithm multiplies it by ``weight``
/// and sums over plugins.
public protocol ScorePlugin {
    static var name: PluginName { get }
    /// The plugin's weight in kube-scheduler's default profile.
    static var weight: Int64 { get }
    static func scores(for pod: PodToSchedule, candidates: [Int], in cache: SchedulerCache) -> [Int64]
}

/// A score plugin that scores each node on its own, with no normalization across nodes.
public protocol NodeScorePlugin: ScorePlugin {
    /// The score of one node, already in 0...``maxNodeScore``.
    static func score(_ pod: PodToSchedule, on node: NodeInfo) -> Int64
}

extension NodeScorePlugin {
    public static func scores(for pod: PodToSchedule, candidates: [Int], in cache: SchedulerCache) -> [Int64] {
        let nodes = cache.nodes
        return candidates.map { score(pod, on: nodes[$0]) }
    }
}

/// Kubernetes' `DefaultNormalizeScore`: scales scores so the highest becomes
/// ``maxNodeScore`` (integer division), and with `reverse` flips them (`100 − score`).
/// All-zero scores stay 0, or become 100 when reversed.
public func normalizeScores(_ scores: inout [Int64], reverse: Bool) {
    let highest = scores.max() ?? 0
    guard highest > 0 else {
        if reverse { scores = scores.map { _ in maxNodeScore } }
        return
    }
    for index in scores.indices {
        let scaled = maxNodeScore * scores[index] / highest
        scores[index] = reverse ? maxNodeScore - scaled : scaled
    }
}
