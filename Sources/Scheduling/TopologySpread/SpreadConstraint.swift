import APIModel

/// A topology spread constraint, converted once (Kubernetes' `topologySpreadConstraint`):
/// defaults applied (`minDomains` 1, `nodeAffinityPolicy` Honor, `nodeTaintsPolicy`
/// Ignore), `matchLabelKeys` merged into the selector.
///
/// Immutable, and a class so that the per-node loops over constraints copy nothing.
public final class SpreadConstraint: Sendable {
    public let maxSkew: Int
    public let topologyKey: TopologyKey
    public let selection: SpreadSelection
    public let minDomains: Int
    /// Whether only nodes matching the pod's node affinity/selector count as domains.
    public let honorsNodeAffinity: Bool
    /// Whether nodes with taints the pod does not tolerate are left out of the domains.
    public let honorsNodeTaints: Bool

    public init(maxSkew: Int, topologyKey: TopologyKey, selection: SpreadSelection, minDomains: Int = 1,
                honorsNodeAffinity: Bool = true, honorsNodeTaints: Bool = false) {
        self.maxSkew = maxSkew
        self.topologyKey = topologyKey
        self.selection = selection
        self.minDomains = minDomains
        self.honorsNodeAffinity = honorsNodeAffinity
        self.honorsNodeTaints = honorsNodeTaints
    }

    /// The pod's own constraints with the given `whenUnsatisfiable`, converted. A label
    /// selector that cannot be converted selects nothing (Kubernetes fails the attempt
    /// with an error; API validation prevents such selectors).
    public static func constraints(_ constraints: [TopologySpreadConstraint], whenUnsatisfiable: String,
                                   podLabels: [String: String]) -> [SpreadConstraint] {
        constraints.filter { $0.whenUnsatisfiable == whenUnsatisfiable }.map { constraint in
            var matcher = (try? LabelMatcher.from(constraint.labelSelector)) ?? .nothing
            let extra = (constraint.matchLabelKeys ?? []).compactMap { key in
                podLabels[key].flatMap { try? LabelRequirement(key: key, operator: .equals, values: [$0]) }
            }
            if !extra.isEmpty { matcher = matcher.adding(extra) }
            return SpreadConstraint(
                maxSkew: Int(constraint.maxSkew ?? 1),
                topologyKey: TopologyKey(constraint.topologyKey ?? ""),
                selection: .labels(matcher),
                minDomains: Int(constraint.minDomains ?? 1),
                honorsNodeAffinity: (constraint.nodeAffinityPolicy ?? "Honor") == "Honor",
                honorsNodeTaints: (constraint.nodeTaintsPolicy ?? "Ignore") == "Honor")
        }
    }

    /// kube-scheduler's system default constraints (`ScheduleAnyway`): hostname with
    /// maxSkew 3 and zone with maxSkew 5, over the pods of the same owner.
    public static func systemDefaults(for owner: SpreadingOwner) -> [SpreadConstraint] {
        [
            SpreadConstraint(maxSkew: 3, topologyKey: .hostname, selection: .owner(owner)),
            SpreadConstraint(maxSkew: 5, topologyKey: .zone, selection: .owner(owner)),
        ]
    }

    /// Whether every node counts for this constraint under its inclusion policies, whatever
    /// its labels and taints.
    func includesEveryNode(for pod: PodToSchedule) -> Bool {
        !honorsNodeTaints && (!honorsNodeAffinity || pod.requiredAffinity.isUnconstrained)
    }

    /// Whether the node counts as a domain for this constraint under its inclusion
    /// policies (Kubernetes' `matchNodeInclusionPolicies`).
    func includes(_ node: NodeInfo, for pod: PodToSchedule) -> Bool {
        if honorsNodeAffinity && !pod.requiredAffinity.matches(node) { return false }
        if honorsNodeTaints,
           pod.tolerations.firstUntolerated(in: node.taints, effects: TaintTolerationFilter.filteredEffects) != nil {
            return false
        }
        return true
    }
}
