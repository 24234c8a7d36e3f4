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
/// Default zone spreading reads ``SchedulerCache/zoneSpreadCounts`` instead of scanning
/// every node; the one difference from Kubernetes is that nodes lacking the zone label are
/// not counted in the domain of nodes whose zone label is the empty string.
public enum TopologySpreadScore: ScorePlugin {
    public static let name = PluginName.podTopologySpread
    public static let weight: Int64 = 2

    public static func scores(for pod: PodToSchedule, candidates: [Int], in cache: SchedulerCache) -> [Int64] {
        let nodes = cache.nodes
        let constraints = pod.softSpreadConstraints
        guard !constraints.isEmpty, !candidates.isEmpty else { return candidates.map { _ in 0 } }
        let requireAllKeys = !pod.usesDefaultSpreading
        let namespace = pod.key.namespace
        func hasAllKeys(_ node: NodeInfo) -> Bool {
            constraints.allSatisfy { node.label($0.topologyKey) != nil }
        }

        // PreScore: the candidates' domains per constraint, and which candidates to ignore.
        var ignored = Array(repeating: false, count: candidates.count)
        var domainCounts = Array(repeating: [String: Int](), count: constraints.count)
        var anyCandidateHasKey = Array(repeating: false, count: constraints.count)
        for (position, index) in candidates.enumerated() {
            let node = nodes[index]
            if requireAllKeys && !hasAllKeys(node) {
                ignored[position] = true
                continue
            }
            for (i, constraint) in constraints.enumerated() where constraint.topologyKey != SpreadConstraint.hostnameKey {
                let value = node.label(constraint.topologyKey)
                if value != nil { anyCandidateHasKey[i] = true }
                if domainCounts[i][value ?? ""] == nil { domainCounts[i][value ?? ""] = 0 }
            }
        }
        let consideredCount = ignored.count { !$0 }
        let normalizingWeights = constraints.enumerated().map { i, constraint in
            let size = constraint.topologyKey == SpreadConstraint.hostnameKey ? consideredCount : domainCounts[i].count
            return log(Double(size + 2))
        }

        // PreScore: count matching pods over all nodes, for the domains of the candidates.
        // Skipped for a constraint no candidate carries the key of, as no score reads it.
        // Default zone spreading over every zoned node reads the cache's running counts.
        var counted: [Int] = []
        for i in constraints.indices where constraints[i].topologyKey != SpreadConstraint.hostnameKey && anyCandidateHasKey[i] {
            let constraint = constraints[i]
            if case .owner(let owner) = constraint.selection, constraint.topologyKey == SpreadConstraint.zoneKey,
               !requireAllKeys, constraint.includesEveryNode(for: pod) {
                for zone in Array(domainCounts[i].keys) {
                    domainCounts[i][zone] = cache.zoneSpreadCounts.count(of: owner, inZone: zone)
                }
            } else {
                counted.append(i)
            }
        }
        if !counted.isEmpty {
            for node in nodes where !requireAllKeys || hasAllKeys(node) {
                for i in counted where constraints[i].includes(node, for: pod) {
                    let value = node.label(constraints[i].topologyKey) ?? ""
                    guard let current = domainCounts[i][value] else { continue }
                    domainCounts[i][value] = current + constraints[i].selection.count(on: node, namespace: namespace)
                }
            }
        }

        // Score.
        var raw = Array(repeating: Int64(0), count: candidates.count)
        for (position, index) in candidates.enumerated() where !ignored[position] {
            let node = nodes[index]
            var score = 0.0
            for (i, constraint) in constraints.enumerated() {
                guard let value = node.label(constraint.topologyKey) else { continue }
                let count = constraint.topologyKey == SpreadConstraint.hostnameKey
                    ? constraint.selection.count(on: node, namespace: namespace)
                    : domainCounts[i][value] ?? 0
                score += Double(count) * normalizingWeights[i] + Double(constraint.maxSkew - 1)
            }
            raw[position] = Int64(score.rounded())
        }

        // NormalizeScore.
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
