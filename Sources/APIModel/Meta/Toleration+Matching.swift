/// Whether tolerations let a pod stay on (or be scheduled onto) a node with a taint, as Kubernetes'
/// `Toleration.ToleratesTaint`: the effects match (an empty toleration effect matches all), the keys match
/// (an empty key with `Exists` matches every key), and the operator holds (`Exists`, or `Equal` — the
/// default — with equal values).
extension Toleration {
    public func tolerates(_ taint: Taint) -> Bool {
        if let effect, !effect.isEmpty, effect != taint.effect { return false }
        let key = self.key ?? ""
        if !key.isEmpty, key != taint.key { return false }
        switch self.operator ?? "Equal" {
        case "Exists": return true
        case "Equal", "": return (value ?? "") == (taint.value ?? "")
        default: return false
        }
    }
}

extension Taint {
    /// Whether any of `tolerations` tolerates this taint.
    public func isTolerated(by tolerations: [Toleration]) -> Bool {
        tolerations.contains { $0.tolerates(self) }
    }
}
