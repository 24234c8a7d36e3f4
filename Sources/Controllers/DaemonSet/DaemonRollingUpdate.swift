import APIModel
import Foundation

/// One step of a DaemonSet's RollingUpdate (Kubernetes' `rollingUpdate`), decided without I/O: which old pods to
/// delete and on which nodes to create new ones, so that at most `maxUnavailable` daemon pods are unavailable (or, with
/// `maxSurge`, at most that many nodes run an extra new pod) at a time.
///
/// A pod is new when `DaemonPodTemplate.isUpdated`; available as `Pod.isAvailable(minReadySeconds:now:)`. Nodes that
/// should run a pod but have none count as unavailable. A node with more than one old or new pod is left to the
/// manage step and counted as unavailable (or as surging).
///
/// Without surge: unavailable old pods are always deleted; available old pods are deleted while the number of
/// unavailable nodes stays within `maxUnavailable` (their replacements are created by the next manage step).
/// With surge: a new pod is created next to an unavailable old one at once, and next to available old ones up to
/// `maxSurge` at a time; an old pod is deleted once the new pod on its node is available.
public struct DaemonRollingUpdate: Sendable {
    /// Old pods to delete.
    public var delete: [Pod]
    /// Nodes to create a new pod on (next to an old one).
    public var createOn: [String]

    /// `maxUnavailable` and `maxSurge` as counts out of `desired` nodes (`UnavailableCount`, `SurgeCount`, rounding
    /// percentages up); 1 unavailable when both come out 0 and there is something to run.
    public static func limits(of daemonSet: DaemonSet, desired: Int) -> (maxUnavailable: Int, maxSurge: Int) {
        let strategy = daemonSet.spec?.updateStrategy
        guard strategy?.type ?? "RollingUpdate" == "RollingUpdate" else { return (0, 0) }
        let rolling = strategy?.rollingUpdate
        var maxUnavailable = rolling?.maxUnavailable?.scaled(total: desired, roundUp: true) ?? 0
        let maxSurge = rolling?.maxSurge?.scaled(total: desired, roundUp: true) ?? 0
        if desired > 0 && maxUnavailable == 0 && maxSurge == 0 { maxUnavailable = 1 }
        return (maxUnavailable, maxSurge)
    }

    /// Whether the DaemonSet surges (`AllowsSurge`): a RollingUpdate whose maxSurge out of one node is not 0.
    public static func allowsSurge(_ daemonSet: DaemonSet) -> Bool {
        guard daemonSet.spec?.updateStrategy?.type ?? "RollingUpdate" == "RollingUpdate" else { return false }
        return (daemonSet.spec?.updateStrategy?.rollingUpdate?.maxSurge?.scaled(total: 1, roundUp: true) ?? 0) != 0
    }

    public init(daemonSet: DaemonSet, nodes: [Node], podsByNode: [String: [Pod]], hash: String, now: Date) {
        let eligibility = DaemonNodeEligibility(daemonSet)
        var podsByNode = podsByNode
        var shouldRun: [String: Bool] = [:]
        var desired = 0
        for node in nodes {
            let name = node.metadata?.name ?? ""
            let run = eligibility.evaluate(node).shouldRun
            shouldRun[name] = run
            guard run else { continue }
            desired += 1
            if podsByNode[name] == nil { podsByNode[name] = [] }
        }
        let (maxUnavailable, maxSurge) = Self.limits(of: daemonSet, desired: desired)
        let generation = DaemonPodTemplate.templateGeneration(of: daemonSet)
        let minReadySeconds = Int(daemonSet.spec?.minReadySeconds ?? 0)
        func available(_ pod: Pod) -> Bool { pod.isAvailable(minReadySeconds: minReadySeconds, now: now) }
        let sortedNodes = podsByNode.keys.sorted()
        func pair(_ node: String) -> (new: Pod?, old: Pod?)? {
            Self.updatedPods(podsByNode[node] ?? [], hash: hash, generation: generation)
        }

        if maxSurge == 0 {
            var unavailable = 0
            var replacements: [Pod] = [], candidates: [Pod] = []
            for node in sortedNodes {
                guard let (new, old) = pair(node) else { unavailable += 1; continue }
                switch (new, old) {
                case (nil, nil), (.some, .some):
                    unavailable += 1
                case (let new?, nil):
                    if !available(new) { unavailable += 1 }
                case (nil, let old?):
                    if !available(old) {
                        replacements.append(old)
                    } else if unavailable < maxUnavailable {
                        candidates.append(old)
                    }
                }
            }
            let remaining = min(max(0, maxUnavailable - unavailable), candidates.count)
            delete = replacements + candidates.prefix(remaining)
            createOn = []
            return
        }

        var delete: [Pod] = [], notRunning: [Pod] = []
        var allowed: [String] = [], candidates: [String] = []
        var surging = 0, availableCount = 0
        for node in sortedNodes {
            guard let (new, old) = pair(node) else { surging += 1; continue }
            if let current = old ?? new, available(current) { availableCount += 1 }
            switch (new, old) {
            case (_, nil):
                continue
            case (nil, let old?):
                let run = shouldRun[node] ?? false
                if !available(old) {
                    if run { allowed.append(node) } else { delete.append(old) }
                } else if !run {
                    notRunning.append(old)
                } else if surging < maxSurge {
                    candidates.append(node)
                }
            case (let new?, let old?):
                if available(new) { delete.append(old) } else { surging += 1 }
            }
        }
        // Pods on nodes that no longer should run one go only while enough pods elsewhere are available.
        let deletable = min(max(0, availableCount - desired), notRunning.count)
        delete += notRunning.prefix(deletable)
        let remaining = min(max(0, maxSurge - surging), candidates.count)
        self.delete = delete
        createOn = allowed + candidates.prefix(remaining)
    }

    /// The one new and one old pod on a node, ignoring pods being deleted (`findUpdatedPodsOnNode`); nil when the
    /// node has more than one of either.
    static func updatedPods(_ pods: [Pod], hash: String, generation: Int64?) -> (new: Pod?, old: Pod?)? {
        var new: Pod?, old: Pod?
        for pod in pods where pod.metadata?.deletionTimestamp == nil {
            if DaemonPodTemplate.isUpdated(pod, hash: hash, generation: generation) {
                if new != nil { return nil }
                new = pod
            } else {
                if old != nil { return nil }
                old = pod
            }
        }
        return (new, old)
    }
}
