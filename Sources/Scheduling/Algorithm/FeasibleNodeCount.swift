/// How many feasible nodes the algorithm looks for before it stops filtering
/// (Kubernetes' `numFeasibleNodesToFind` with `percentageOfNodesToScore`).
public enum FeasibleNodeCount {
    /// Below this many nodes, all are considered; never fewer are looked for.
    public static let minimumNodes = 100
    /// The lowest adaptive percentage.
    public static let minimumPercentage = 5

    /// The number of feasible nodes to find among `nodeCount` nodes. A `percentage` of 0
    /// (the default) is adaptive: `50 − nodeCount / 125`, at least 5; the result is at
    /// least 100 (or all nodes when there are fewer).
    public static func toFind(nodeCount: Int, percentage: Int = 0) -> Int {
        if nodeCount < minimumNodes { return nodeCount }
        var percentage = percentage
        if percentage == 0 {
            percentage = max(50 - nodeCount / 125, minimumPercentage)
        }
        return max(nodeCount * percentage / 100, minimumNodes)
    }
}
