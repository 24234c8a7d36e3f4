import APIModel

/// Taint effects, as Kubernetes spells them.
public enum TaintEffect {
    public static let noSchedule = "NoSchedule"
    public static let preferNoSchedule = "PreferNoSchedule"
    public static let noExecute = "NoExecute"
}

extension Sequence where Element == Toleration {
    /// The first taint with one of `effects` that none of the tolerations tolerates
    /// (Kubernetes' `FindMatchingUntoleratedTaint`; matching is APIModel's
    /// `Toleration.tolerates(_:)`).
    public func firstUntolerated(in taints: [Taint], effects: Set<String>) -> Taint? {
        let tolerations = Array(self)
        return taints.first { effects.contains($0.effect ?? "") && !$0.isTolerated(by: tolerations) }
    }
}
