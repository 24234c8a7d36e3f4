import APIModel

/// The pod being scheduled, with everything the plugins read computed once per
/// scheduling attempt: requests, host ports, tolerations, node affinity, spread
/// constraints.
public struct PodToSchedule: Sendable {
    public let pod: Pod
    public let key: PodKey
    public let labels: [String: String]
    /// `spec.nodeName` when set (a pod asking for one node).
    public let requestedNodeName: String?
    public let requests: PodResourceRequests
    public let hostPorts: [HostPort]
    public let tolerations: [Toleration]
    /// The workload the pod belongs to for default spreading, if any.
    public let spreadingOwner: SpreadingOwner?
    public let requiredAffinity: RequiredNodeAffinity
    public let preferredAffinity: PreferredNodeAffinity
    /// Topology spread constraints with `whenUnsatisfiable: DoNotSchedule`.
    public let hardSpreadConstraints: [SpreadConstraint]
    /// Topology spread constraints with `whenUnsatisfiable: ScheduleAnyway`, or the
    /// default constraints when the pod has none of its own and has a spreading owner.
    public let softSpreadConstraints: [SpreadConstraint]
    /// Whether ``softSpreadConstraints`` are the system defaults.
    public let usesDefaultSpreading: Bool

    public init(_ pod: Pod) {
        self.pod = pod
        key = PodKey(pod)
        labels = pod.metadata?.labels ?? [:]
        let nodeName = pod.spec?.nodeName ?? ""
        requestedNodeName = nodeName.isEmpty ? nil : nodeName
        requests = PodResourceRequests(pod.spec)
        hostPorts = HostPort.requested(by: pod.spec)
        tolerations = pod.spec?.tolerations ?? []
        requiredAffinity = RequiredNodeAffinity(pod.spec)
        preferredAffinity = PreferredNodeAffinity(pod.spec)
        spreadingOwner = SpreadingOwner(pod)
        let own = pod.spec?.topologySpreadConstraints ?? []
        if own.isEmpty {
            hardSpreadConstraints = []
            softSpreadConstraints = spreadingOwner.map(SpreadConstraint.systemDefaults(for:)) ?? []
            usesDefaultSpreading = !softSpreadConstraints.isEmpty
        } else {
            hardSpreadConstraints = SpreadConstraint.constraints(own, whenUnsatisfiable: "DoNotSchedule", podLabels: labels)
            softSpreadConstraints = SpreadConstraint.constraints(own, whenUnsatisfiable: "ScheduleAnyway", podLabels: labels)
            usesDefaultSpreading = false
        }
    }
}
