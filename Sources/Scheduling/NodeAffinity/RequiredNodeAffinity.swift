import APIModel

/// The node constraints a pod must satisfy: its `nodeSelector` (every label equal) and its
/// required node affinity (at least one non-empty term matches) (Kubernetes'
/// `nodeaffinity.RequiredNodeAffinity`).
///
/// A required affinity whose terms are all empty matches no node, as in Kubernetes.
public struct RequiredNodeAffinity: Sendable {
    private let nodeSelector: [String: String]
    private let terms: [NodeSelectorTermMatcher]?

    /// The only node names the required affinity can match, when every term names nodes
    /// with a `metadata.name In` field (as DaemonSet pods do): the union over terms of the
    /// intersection of each term's `In` lists (Kubernetes' NodeAffinity PreFilter). Nil
    /// when some term leaves every node possible; empty when the terms conflict.
    public let nodeNames: Set<String>?

    /// The required affinity of a pod spec.
    public init(_ spec: PodSpec?) {
        nodeSelector = spec?.nodeSelector ?? [:]
        let required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
        terms = required.map { selector in
            (selector.nodeSelectorTerms ?? []).map(NodeSelectorTermMatcher.init).filter { !$0.isEmpty }
        }
        nodeNames = Self.nodeNames(required?.nodeSelectorTerms ?? [])
    }

    private static func nodeNames(_ terms: [NodeSelectorTerm]) -> Set<String>? {
        guard !terms.isEmpty else { return nil }
        var union: Set<String> = []
        for term in terms {
            var names: Set<String>?
            for field in term.matchFields ?? [] where field.key == "metadata.name" && field.operator == "In" {
                let values = Set(field.values ?? [])
                names = names.map { $0.intersection(values) } ?? values
            }
            guard let names else { return nil }
            union.formUnion(names)
        }
        return union
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
