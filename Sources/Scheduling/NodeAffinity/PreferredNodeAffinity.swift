import APIModel

/// A pod's preferred node affinity: weighted terms whose weights add up over the terms a
/// node matches (Kubernetes' `nodeaffinity.PreferredSchedulingTerms`).
///
/// Terms of weight 0 and empty terms are skipped, as in Kubernetes. Kubernetes fails the
/// scheduling attempt when a preferred term cannot be parsed (API validation prevents
/// that); here such a term simply matches nothing.
public struct PreferredNodeAffinity: Sendable {
    private let terms: [(term: NodeSelectorTermMatcher, weight: Int64)]

    public init(_ spec: PodSpec?) {
        terms = (spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
            .compactMap { preferred in
                let weight = Int64(preferred.weight ?? 0)
                let term = NodeSelectorTermMatcher(preferred.preference ?? NodeSelectorTerm())
                return weight == 0 || term.isEmpty ? nil : (term, weight)
            }
    }

    /// Whether there is no term to score.
    public var isEmpty: Bool { terms.isEmpty }

    /// The sum of the weights of the terms the node matches.
    public func score(_ node: NodeInfo) -> Int64 {
        terms.reduce(0) { sum, entry in
            entry.term.matches(labels: node.labels, name: node.name) ? sum + entry.weight : sum
        }
    }
}
