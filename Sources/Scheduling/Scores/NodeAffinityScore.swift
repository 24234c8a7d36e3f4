/// Kubernetes' NodeAffinity score (weight 2): the sum of the weights of the preferred
/// terms a node matches, normalized so the best node scores 100.
public enum NodeAffinityScore: ScorePlugin {
    public static let name = PluginName.nodeAffinity
    public static let weight: Int64 = 2

    public static func scores(for pod: PodToSchedule, candidates: [Int], in cache: SchedulerCache) -> [Int64] {
        let nodes = cache.nodes
        guard !pod.preferredAffinity.isEmpty else { return candidates.map { _ in 0 } }
        var scores = candidates.map { pod.preferredAffinity.score(nodes[$0]) }
        normalizeScores(&scores, reverse: false)
        return scores
    }
}
