/// Where a pod should go: the chosen node and how much of the cluster was looked at
/// (Kubernetes' `ScheduleResult`).
public struct ScheduleResult: Hashable, Sendable {
    /// The chosen node's name.
    public var nodeName: String
    /// The nodes filtered (feasible or not) before the search stopped.
    public var evaluatedNodes: Int
    /// The feasible nodes found, which were scored.
    public var feasibleNodes: Int
}

/// The scheduling algorithm of kube-scheduler's default profile, without I/O: filter the
/// nodes, score the feasible ones, pick the best (Kubernetes' `schedulePod`).
///
/// Filtering starts at a rotating index into the cache's node order and stops once
/// ``FeasibleNodeCount/toFind(nodeCount:percentage:)`` nodes fit; the next attempt starts
/// after the last node looked at, so successive pods sample different nodes. Each node
/// runs the filters in kube-scheduler's order — NodeUnschedulable, NodeName,
/// TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit, PodTopologySpread — and
/// stops at the first rejection. One feasible node is chosen without scoring; several are
/// scored by NodeResourcesFit (LeastAllocated), NodeResourcesBalancedAllocation,
/// NodeAffinity, TaintToleration and PodTopologySpread with their default weights.
///
/// Before filtering, NodeAffinity's PreFilter narrows the nodes to those named by
/// `metadata.name In` fields (see ``NodeAffinityFilter/candidateNodeNames(_:)``); the
/// sampling then applies to those nodes.
///
/// Not implemented: volume plugins, inter-pod affinity, image locality, preemption and
/// nominated pods.
public struct SchedulingAlgorithm: Sendable {
    /// The profile's `percentageOfNodesToScore`; 0 is adaptive.
    public var percentageOfNodesToScore: Int
    /// Where the next attempt starts filtering, in the cache's node order.
    public private(set) var nextStartNodeIndex = 0

    public init(percentageOfNodesToScore: Int = 0) {
        self.percentageOfNodesToScore = percentageOfNodesToScore
    }

    /// Finds a node for `pod` in `cache`, using `generator` to break ties.
    ///
    /// - Returns: the chosen node, or the ``FitError`` saying why every node was rejected.
    public mutating func schedule(_ pod: PodToSchedule, in cache: SchedulerCache,
                                  using generator: inout some RandomNumberGenerator) -> Result<ScheduleResult, FitError> {
        let nodes = cache.nodes
        var candidates: [Int]?
        var otherNodesRejection: FilterRejection?
        if let names = NodeAffinityFilter.candidateNodeNames(pod), !nodes.isEmpty {
            guard !names.isEmpty else {
                let conflict = FilterRejection(plugin: .nodeAffinity, reason: NodeAffinityFilter.conflictReason)
                return .failure(FitError(pod: pod.key, nodeCount: nodes.count, rejections: [:],
                                         preFilterRejection: conflict))
            }
            candidates = names.compactMap(cache.index(ofNode:)).sorted()
            otherNodesRejection = FilterRejection(plugin: .nodeAffinity, reason: NodeAffinityFilter.notCandidateReason)
        }
        let (feasible, rejections) = findFeasibleNodes(pod, in: cache, candidates: candidates)
        guard !feasible.isEmpty else {
            let byName = Dictionary(rejections.map { (nodes[$0.node].name, $0.rejection) }) { first, _ in first }
            return .failure(FitError(pod: pod.key, nodeCount: nodes.count, rejections: byName,
                                     otherNodesRejection: otherNodesRejection))
        }
        let evaluated = feasible.count + rejections.count
        if feasible.count == 1 {
            return .success(ScheduleResult(nodeName: nodes[feasible[0]].name, evaluatedNodes: evaluated, feasibleNodes: 1))
        }
        let totals = Self.totalScores(pod, candidates: feasible, in: cache)
        let chosen = HostSelection.select(totals, using: &generator) ?? 0
        return .success(ScheduleResult(nodeName: nodes[feasible[chosen]].name, evaluatedNodes: evaluated,
                                       feasibleNodes: feasible.count))
    }

    /// Runs the filters over the candidate nodes (all when nil) from
    /// ``nextStartNodeIndex`` until enough nodes fit or all were tried; advances the start
    /// index past the nodes looked at.
    ///
    /// - Returns: the feasible nodes and the rejected ones with their rejections (node
    ///   indices into the cache's ``SchedulerCache/nodes``).
    public mutating func findFeasibleNodes(_ pod: PodToSchedule, in cache: SchedulerCache, candidates: [Int]? = nil)
        -> (feasible: [Int], rejections: [(node: Int, rejection: FilterRejection)]) {
        let nodes = cache.nodes
        let count = candidates?.count ?? nodes.count
        guard count > 0 else { return ([], []) }
        let wanted = FeasibleNodeCount.toFind(nodeCount: count, percentage: percentageOfNodesToScore)
        let spread = TopologySpreadFilter(pod: pod, cache: cache)
        var feasible: [Int] = []
        feasible.reserveCapacity(wanted)
        var rejections: [(node: Int, rejection: FilterRejection)] = []
        var processed = 0
        while processed < count && feasible.count < wanted {
            let position = (nextStartNodeIndex + processed) % count
            let index = candidates?[position] ?? position
            processed += 1
            if let rejection = Self.filter(pod, on: nodes[index], spread: spread) {
                rejections.append((index, rejection))
            } else {
                feasible.append(index)
            }
        }
        nextStartNodeIndex = (nextStartNodeIndex + processed) % nodes.count
        return (feasible, rejections)
    }

    /// The first rejection of the node by the filters, in kube-scheduler's order.
    public static func filter(_ pod: PodToSchedule, on node: NodeInfo, spread: TopologySpreadFilter) -> FilterRejection? {
        if let rejection = NodeUnschedulableFilter.filter(pod, on: node) { return rejection }
        if let rejection = NodeNameFilter.filter(pod, on: node) { return rejection }
        if let rejection = TaintTolerationFilter.filter(pod, on: node) { return rejection }
        if let rejection = NodeAffinityFilter.filter(pod, on: node) { return rejection }
        if let rejection = NodePortsFilter.filter(pod, on: node) { return rejection }
        if let rejection = NodeResourcesFitFilter.filter(pod, on: node) { return rejection }
        if !spread.isEmpty, let rejection = spread.filter(pod, on: node) { return rejection }
        return nil
    }

    /// The weighted sum of all score plugins for each candidate.
    public static func totalScores(_ pod: PodToSchedule, candidates: [Int], in cache: SchedulerCache) -> [Int64] {
        var totals = Array(repeating: Int64(0), count: candidates.count)
        func add<Plugin: ScorePlugin>(_ plugin: Plugin.Type) {
            let scores = Plugin.scores(for: pod, candidates: candidates, in: cache)
            for index in totals.indices { totals[index] += scores[index] * Plugin.weight }
        }
        add(LeastAllocatedScore.self)
        add(BalancedAllocationScore.self)
        add(NodeAffinityScore.self)
        add(TaintTolerationScore.self)
        add(TopologySpreadScore.self)
        return totals
    }
}
