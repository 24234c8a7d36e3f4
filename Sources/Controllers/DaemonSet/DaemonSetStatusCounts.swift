import APIModel
import Foundation

/// A DaemonSet's status counts (Kubernetes' `updateDaemonSetStatus`), computed without I/O. Per node that should run
/// a daemon pod (`desiredNumberScheduled`), one with any daemon pod counts as scheduled; its first pod in
/// `DaemonPodOrder` counts as ready, available (Ready for minReadySeconds) and updated (`DaemonPodTemplate.isUpdated`).
/// A node that should not run one but has one counts as misscheduled. Pods being deleted that already finished are
/// not counted (see `DaemonSetPlan.podsByNode`).
public struct DaemonSetStatusCounts: Hashable, Sendable {
    public var desiredNumberScheduled = 0
    public var currentNumberScheduled = 0
    public var numberMisscheduled = 0
    public var numberReady = 0
    public var updatedNumberScheduled = 0
    public var numberAvailable = 0
    /// `desiredNumberScheduled - numberAvailable`.
    public var numberUnavailable = 0

    public init() {}

    public init(daemonSet: DaemonSet, nodes: [Node], pods: [Pod], hash: String, now: Date) {
        let eligibility = DaemonNodeEligibility(daemonSet)
        let byNode = DaemonSetPlan.podsByNode(pods)
        let generation = DaemonPodTemplate.templateGeneration(of: daemonSet)
        let minReadySeconds = Int(daemonSet.spec?.minReadySeconds ?? 0)
        for node in nodes {
            let daemonPods = byNode[node.metadata?.name ?? ""] ?? []
            if eligibility.evaluate(node).shouldRun {
                desiredNumberScheduled += 1
                guard let pod = DaemonPodOrder.sorted(daemonPods).first else { continue }
                currentNumberScheduled += 1
                if pod.isReady {
                    numberReady += 1
                    if pod.isAvailable(minReadySeconds: minReadySeconds, now: now) { numberAvailable += 1 }
                }
                if DaemonPodTemplate.isUpdated(pod, hash: hash, generation: generation) { updatedNumberScheduled += 1 }
            } else if !daemonPods.isEmpty {
                numberMisscheduled += 1
            }
        }
        numberUnavailable = desiredNumberScheduled - numberAvailable
    }

    /// The counts of a DaemonSet's current status (absent counts are 0).
    public init(_ status: DaemonSetStatus?) {
        desiredNumberScheduled = Int(status?.desiredNumberScheduled ?? 0)
        currentNumberScheduled = Int(status?.currentNumberScheduled ?? 0)
        numberMisscheduled = Int(status?.numberMisscheduled ?? 0)
        numberReady = Int(status?.numberReady ?? 0)
        updatedNumberScheduled = Int(status?.updatedNumberScheduled ?? 0)
        numberAvailable = Int(status?.numberAvailable ?? 0)
        numberUnavailable = Int(status?.numberUnavailable ?? 0)
    }

    /// A JSON merge patch for the status subresource setting these counts and `observedGeneration`.
    public func mergePatch(observedGeneration: Int64?) -> JSONValue {
        func count(_ value: Int) -> JSONValue { .int(Int64(value)) }
        return .object(["status": .object([
            "desiredNumberScheduled": count(desiredNumberScheduled),
            "currentNumberScheduled": count(currentNumberScheduled),
            "numberMisscheduled": count(numberMisscheduled),
            "numberReady": count(numberReady),
            "updatedNumberScheduled": count(updatedNumberScheduled),
            "numberAvailable": count(numberAvailable),
            "numberUnavailable": count(numberUnavailable),
            "observedGeneration": observedGeneration.map { .int($0) } ?? .null,
        ])])
    }
}
