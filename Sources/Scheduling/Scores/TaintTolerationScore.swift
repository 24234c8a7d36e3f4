import APIModel

/// Kubernetes' TaintToleration score (weight 3): counts each node's `PreferNoSchedule`
/// taints that the pod's tolerations (those with an empty or `PreferNoSchedule` effect)
/// do not tolerate; fewer is better, normalized in reverse so the node with the most
/// scores 0 and nodes with none score 100.
public enum TaintTolerationScore: ScorePlugin {
    public static let name = PluginName.taintToleration
    public static let weight: Int64 = 3

    public static func scores(for pod: PodToSchedule, candidates: [Int], in cache: SchedulerCache) -> [Int64] {
        let nodes = cache.nodes
        let tolerations = pod.tolerations.filter {
            let effect = $0.effect ?? ""
            return effect.isEmpty || effect == TaintEffect.preferNoSchedule
        }
        var scores = candidates.map { index in
            Int64(nodes[index].taints.count { taint in
                taint.effect == TaintEffect.preferNoSchedule && !taint.isTolerated(by: tolerations)
            })
        }
        normalizeScores(&scores, reverse: true)
        return scores
    }
}
