import APIModel

/// The node constraints a pod must satisfy: its `nodeSelector` (every label equal) and its
/// required node affinity (at least one non-empty term matches) (Kubernetes'
/// `nodeaffinity.RequiredNodeAffinity`).
///
/// A required affinity whose terms are all empty matches no node, as in Kubernetes.
public struct RequiredNodeAffinity: Sendable {
    private let nodeSelector: [String: String]
    private let terms: [NodeSelectorTermMatcher]?

    /// The required affinity of a pod spec.
    public init(_ spec: PodSpec?) {
        nodeSelector = spec?.nodeSelector ?? [:]
        terms = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution.map { selector in
            (selector.nodeSelectorTerms ?? []).map(NodeSelectorTermMatcher.init).filter { !$0.isEmpty }
        }
    }

    /// Whether the pod places no constraint on nodes.
    public var isUnconstrained: Bool { nodeSelector.isEmpty && terms == nil }

    /// Whether the node satisfies the pod's node selector and required affinity.
    public func matches(_ node: NodeInfo) -> Bool {
        for (key, value) in nodeSelector where node.labels[key] != value { return false }
        guard let terms else { return true }
        return terms.contains { $0.matches(labels: node.labels, name: node.name) }
    }
}
