import Foundation

/// Kubernetes' PodTopologySpread score (weight 2) for `ScheduleAnyway` constraints, or the
/// system default constraints (see ``SpreadConstraint/systemDefaults(for:)``).
///
/// Each candidate node gets `Σ (matching pods in its domain × log(domains + 2) + maxSkew
/// − 1)` over the constraints whose key it carries (rounded), where the domains are those
/// of the candidates (for hostname: the candidates themselves) and the counts come from
/// all nodes passing the constraint's inclusion policies; scores are then flipped so the
/// emptiest domain scores 100: `100 × (max + min − score) / max`. With the pod's own
/// constraints, candidates lacking any topology key are ignored (score 0); with the
/// defaults, a node lacking the zone label is still spread by hostname.
///
/// Zone spreading over every node with an owner or single-label selection reads
/// ``SchedulerCache/zoneSpreadCounts`` instead of scanning every node; for the default
/// constraints, the one difference from Kubernetes is that nodes lacking the zone label
/// are not counted in the domain of nodes whose zone label is the empty string.
public enum TopologySpreadScore: ScorePlugin {
    public static let name = PluginName.podTopologySpread
    public static let weight: Int64 = 2

    public static func scores(for pod: PodToSchedule, candidates: [Int], in cache: SchedulerCache) -> [Int64] {
        let constraints = pod.softSpreadConstraints
        guard !constraints.isEmpty, !candidates.isEmpty else { return candidates.map { _ in 0 } }
        let nodes = cache.nodes
        let requireAllKeys = !pod.usesDefaultSpreading
        func hasAllKeys(_ node: NodeInfo) -> Bool {
            constraints.allSatisfy { node.topologyValue($0.topologyKey) != nil }
        }
        var ignored = Array(repeating: false, count: candidates.count)
        if requireAllKeys {
            for (position, index) in candidates.enumerated() { ignored[position] = !hasAllKeys(nodes[index]) }
        }
        let consideredCount = ignored.count { !$0 }

        var raw = Array(repeating: 0.0, count: candidates.count)
        for constraint in constraints {
            let key = constraint.topologyKey
            let skewTerm = Double(constraint.maxSkew - 1)
            if key == .hostname {
                let weight = log(Double(consideredCount + 2))
                let matching = constraint.selection.counts(on: nodes, at: candidates, namespace: pod.key.namespace)
                for (position, index) in candidates.enumerated()
                where !ignored[position] && nodes[index].topologyValue(.hostname) != nil {
                    raw[position] += Double(matching[position]) * weight + skewTerm
                }
                continue
            }
            // The candidates' domains (a missing label is the domain "" when not ignored),
            // and each scored candidate's domain.
            var domains = DomainCounts()
            var domainOfCandidate = Array(repeating: String?.none, count: candidates.count)
            for (position, index) in candidates.enumerated() where !ignored[position] {
                let value = nodes[index].topologyValue(key)
                domainOfCandidate[position] = value
                domains.add(0, to: value ?? "")
            }
            // No candidate carries the key: no score reads the counts.
            guard domainOfCandidate.contains(where: { $0 != nil }) else { continue }
            let weight = log(Double(domains.domainCount + 2))
            // The cache's zone counts leave out the nodes without a zone label, as skipping
            // the nodes lacking the key of a lone zone constraint does.
            countMatchingPods(constraint, of: pod, into: &domains, in: cache,
                              skipping: requireAllKeys ? { !hasAllKeys($0) } : nil,
                              skippingIsZoneOnly: constraints.count == 1)
            for position in candidates.indices {
                guard let domain = domainOfCandidate[position] else { continue }
                raw[position] += Double(domains.count(of: domain) ?? 0) * weight + skewTerm
            }
        }
        return normalized(raw.map { Int64($0.rounded()) }, ignored: ignored)
    }

    /// Adds to each domain already in `domains` the matching pods on the nodes in it that
    /// pass the constraint's inclusion policies and are not skipped (`skipping`, which
    /// `skippingIsZoneOnly` says skips just the nodes without a zone label).
    private static func countMatchingPods(_ constraint: SpreadConstraint, of pod: PodToSchedule,
                                          into domains: inout DomainCounts, in cache: SchedulerCache,
                                          skipping: ((NodeInfo) -> Bool)?, skippingIsZoneOnly: Bool) {
        let includesEveryNode = constraint.includesEveryNode(for: pod)
        if constraint.topologyKey == .zone, skipping == nil || skippingIsZoneOnly, includesEveryNode,
           let count = constraint.selection.zoneCounter(cache.zoneSpreadCounts, namespace: pod.key.namespace) {
            for (position, zone) in domains.domains.enumerated() { domains.setCount(count(zone), at: position) }
            return
        }
        let matching = constraint.selection.counts(on: cache.nodes, namespace: pod.key.namespace)
        for (index, node) in cache.nodes.enumerated() where matching[index] > 0 {
            if let skipping, skipping(node) { continue }
            guard includesEveryNode || constraint.includes(node, for: pod) else { continue }
            domains.addIfPresent(matching[index], to: node.topologyValue(constraint.topologyKey) ?? "")
        }
    }

    /// Kubernetes' NormalizeScore for this plugin: ignored nodes score 0, the others
    /// `100 × (max + min − score) / max` (all 100 when the maximum is 0).
    private static func normalized(_ raw: [Int64], ignored: [Bool]) -> [Int64] {
        var lowest = Int64.max
        var highest: Int64 = 0
        for position in raw.indices where !ignored[position] {
            lowest = min(lowest, raw[position])
            highest = max(highest, raw[position])
        }
        return raw.indices.map { position in
            if ignored[position] { return 0 }
            if highest == 0 { return maxNodeScore }
            return maxNodeScore * (highest + lowest - raw[position]) / highest
        }
    }
}
