import APIModel

/// Taint effects, as Kubernetes spells them.
public enum TaintEffect {
    public static let noSchedule = "NoSchedule"
    public static let preferNoSchedule = "PreferNoSchedule"
    public static let noExecute = "NoExecute"
}

extension Toleration {
    /// Whether this toleration tolerates the taint (Kubernetes' `Toleration.ToleratesTaint`):
    /// an empty effect matches every effect, an empty key every key (with `Exists`), and
    /// the operator `Equal` (or none) needs equal values while `Exists` ignores values.
    public func tolerates(_ taint: Taint) -> Bool {
        if let effect, !effect.isEmpty, effect != (taint.effect ?? "") { return false }
        if let key, !key.isEmpty, key != (taint.key ?? "") { return false }
        switch self.operator ?? "" {
        case "", "Equal": return (value ?? "") == (taint.value ?? "")
        case "Exists": return true
        default: return false
        }
    }
}

extension Sequence where Element == Toleration {
    /// Whether any of the tolerations tolerates the taint.
    public func tolerate(_ taint: Taint) -> Bool {
        contains { $0.tolerates(taint) }
    }

    /// The first taint with one of `effects` that none of the tolerations tolerates
    /// (Kubernetes' `FindMatchingUntoleratedTaint`).
    public func firstUntolerated(in taints: [Taint], effects: Set<String>) -> Taint? {
        taints.first { effects.contains($0.effect ?? "") && !tolerate($0) }
    }
}
