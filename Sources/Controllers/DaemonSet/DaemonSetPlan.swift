import APIModel
import Foundation

/// What one sync of a DaemonSet does to its pods, decided without I/O from the DaemonSet, the nodes and its pods
/// (Kubernetes' `manage` and `podsShouldBeOnNode`, then `rollingUpdate` when nothing else is to do).
///
/// Per node, by `DaemonNodeEligibility`:
/// - should run and has no daemon pod (not even one being deleted): create one there;
/// - may continue running: Failed and Succeeded pods are deleted (a Failed one is reported, and left alone while its
///   node is in `failedPodBackoff`); of the rest, all but
///   the first in `DaemonPodOrder` are deleted — with maxSurge, one old and one new pod may share a node while the
///   new one becomes available (the old one goes when it is not Ready or the new one is available);
/// - may not continue running: every daemon pod there is deleted.
///
/// Daemon pods for nodes that no longer exist are deleted (Skiff has no pod garbage collector to take them).
/// When the above leaves nothing to create or delete and the strategy is RollingUpdate, `DaemonRollingUpdate`
/// decides the replacements. At most `burst` creates and `burst` deletes are planned.
public struct DaemonSetPlan: Sendable {
    /// Nodes to create a daemon pod on, in node-name order.
    public var createOn: [String]
    /// Pods to delete.
    public var delete: [Pod]
    /// Failed pods found on nodes that should keep running them (each is in `delete`), for a warning event.
    public var failed: [Pod]
    /// The shortest wait left of the nodes whose failed pods were left alone (look again then), if any.
    public var retryAfter: TimeInterval?

    /// Kubernetes' `burstReplicas` for DaemonSets.
    public static let defaultBurst = 250

    /// - Parameters:
    ///   - pods: the DaemonSet's pods (controlled by it and selected by it), any state.
    ///   - failedPodBackoff: the wait left before a failed pod on the named node may be killed, nil for none.
    public init(daemonSet: DaemonSet, nodes: [Node], pods: [Pod], hash: String, now: Date, burst: Int = defaultBurst,
                failedPodBackoff: (String) -> TimeInterval? = { _ in nil }) {
        let eligibility = DaemonNodeEligibility(daemonSet)
        let byNode = Self.podsByNode(pods)
        let surge = DaemonRollingUpdate.allowsSurge(daemonSet)
        let minReadySeconds = Int(daemonSet.spec?.minReadySeconds ?? 0)
        var createOn: [String] = [], delete: [Pod] = [], failed: [Pod] = []
        var retryAfter: TimeInterval?
        var known: Set<String> = []
        for node in nodes.sorted(by: { ($0.metadata?.name ?? "") < ($1.metadata?.name ?? "") }) {
            let name = node.metadata?.name ?? ""
            known.insert(name)
            let decision = eligibility.evaluate(node)
            let daemonPods = byNode[name]
            if decision.shouldRun && daemonPods == nil {
                createOn.append(name)
            } else if decision.shouldContinueRunning {
                var running: [Pod] = []
                for pod in daemonPods ?? [] where pod.metadata?.deletionTimestamp == nil {
                    switch pod.status?.phase {
                    case "Failed":
                        if let wait = failedPodBackoff(name) {
                            retryAfter = min(retryAfter ?? wait, wait)
                            continue
                        }
                        failed.append(pod)
                        delete.append(pod)
                    case "Succeeded":
                        delete.append(pod)
                    default:
                        running.append(pod)
                    }
                }
                delete += Self.surplus(DaemonPodOrder.sorted(running), surge: surge, hash: hash,
                                       minReadySeconds: minReadySeconds, now: now)
            } else {
                delete += (daemonPods ?? []).filter { $0.metadata?.deletionTimestamp == nil }
            }
        }
        for (name, pods) in byNode where !known.contains(name) {
            delete += pods.filter { $0.metadata?.deletionTimestamp == nil }
        }
        if createOn.isEmpty && delete.isEmpty && daemonSet.spec?.updateStrategy?.type ?? "RollingUpdate" == "RollingUpdate" {
            let update = DaemonRollingUpdate(daemonSet: daemonSet, nodes: nodes, podsByNode: byNode, hash: hash, now: now)
            createOn = update.createOn
            delete = update.delete
        }
        self.createOn = Array(createOn.prefix(burst))
        self.delete = Array(delete.prefix(burst))
        self.failed = failed
        self.retryAfter = retryAfter
    }

    /// The pods by the node they are for (`DaemonPodTemplate.targetNode`) (`getNodesToDaemonPods`); pods for no node,
    /// and finished pods being deleted, are left out.
    public static func podsByNode(_ pods: [Pod]) -> [String: [Pod]] {
        var byNode: [String: [Pod]] = [:]
        for pod in pods {
            let finished = pod.status?.phase == "Succeeded" || pod.status?.phase == "Failed"
            if finished && pod.metadata?.deletionTimestamp != nil { continue }
            guard let node = DaemonPodTemplate.targetNode(of: pod) else { continue }
            byNode[node, default: []].append(pod)
        }
        return byNode
    }

    /// Of a node's running pods (sorted by `DaemonPodOrder`), those to delete: all but the first; with surge, the
    /// oldest new and oldest old pod may stay together until the old one is not Ready or the new one is available.
    private static func surplus(_ running: [Pod], surge: Bool, hash: String, minReadySeconds: Int, now: Date) -> [Pod] {
        guard running.count > 1 else { return [] }
        guard surge else { return Array(running.dropFirst()) }
        var surplus: [Pod] = []
        var oldestNew: Pod?, oldestOld: Pod?
        for pod in running {
            if pod.metadata?.labels?[DaemonPodTemplate.revisionHashLabel] == hash {
                if oldestNew == nil { oldestNew = pod; continue }
            } else if oldestOld == nil {
                oldestOld = pod
                continue
            }
            surplus.append(pod)
        }
        if let oldestNew, let oldestOld,
           !oldestOld.isReady || oldestNew.isAvailable(minReadySeconds: minReadySeconds, now: now) {
            surplus.append(oldestOld)
        }
        return surplus
    }
}
