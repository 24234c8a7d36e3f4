import APIModel

/// Kubernetes' `podByCreationTimestampAndPhase`: scheduled pods first, then the oldest, ties broken by name. The first
/// pod of a node in this order is the one a DaemonSet keeps and counts in its status.
enum DaemonPodOrder {
    static func precedes(_ a: Pod, _ b: Pod) -> Bool {
        let scheduledA = !(a.spec?.nodeName ?? "").isEmpty, scheduledB = !(b.spec?.nodeName ?? "").isEmpty
        if scheduledA != scheduledB { return scheduledA }
        let createdA = a.metadata?.creationTimestamp?.date, createdB = b.metadata?.creationTimestamp?.date
        if createdA == createdB { return (a.metadata?.name ?? "") < (b.metadata?.name ?? "") }
        guard let createdA else { return true }
        guard let createdB else { return false }
        return createdA < createdB
    }

    static func sorted(_ pods: [Pod]) -> [Pod] { pods.sorted(by: precedes) }
}

extension IntOrString {
    /// The value as a count out of `total` (Kubernetes' `GetScaledValueFromIntOrPercent`): an integer as is, `"N%"` as
    /// N percent of `total`, rounded up or down; nil for a string that is not a percentage.
    func scaled(total: Int, roundUp: Bool) -> Int? {
        switch self {
        case .int(let value):
            return Int(value)
        case .string(let text):
            guard text.hasSuffix("%"), let percent = Int(text.dropLast()) else { return nil }
            let product = percent * total
            return roundUp ? (product + 99) / 100 : product / 100
        }
    }
}
