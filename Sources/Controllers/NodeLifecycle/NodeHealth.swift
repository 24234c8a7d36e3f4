import APIModel
import Foundation

/// The node lifecycle controller's judgement of one node, as pure logic: when the node last showed life
/// (its Lease's renewTime or its Ready condition's heartbeat, whichever is later), whether that is too long
/// ago, and the conditions and taints the node should then have.
public enum NodeHealth {
    public static let unreachableTaint = "node.kubernetes.io/unreachable"
    public static let notReadyTaint = "node.kubernetes.io/not-ready"

    /// The last sign of life: lease renewal, Ready heartbeat, or (never heard from) creation.
    public static func lastHeartbeat(_ node: Node, lease: Lease?) -> Date? {
        let ready = node.status?.conditions?.first { $0.type == "Ready" }
        let signs = [lease?.spec?.renewTime?.date, ready?.lastHeartbeatTime?.date].compactMap { $0 }
        return signs.max() ?? node.metadata?.creationTimestamp?.date
    }

    /// The node's conditions with every status Unknown (NodeStatusUnknown), when it has been silent longer
    /// than `gracePeriod`; nil when nothing needs changing.
    public static func staleConditions(_ node: Node, lease: Lease?, now: Date, gracePeriod: TimeInterval) -> [NodeCondition]? {
        guard let last = lastHeartbeat(node, lease: lease), now.timeIntervalSince(last) > gracePeriod else { return nil }
        var conditions = node.status?.conditions ?? []
        if !conditions.contains(where: { $0.type == "Ready" }) {
            conditions.append(NodeCondition(type: "Ready"))
        }
        guard conditions.contains(where: { $0.status != "Unknown" }) else { return nil }
        let stamp = Time(now)
        return conditions.map { condition in
            guard condition.status != "Unknown" else { return condition }
            var condition = condition
            condition.status = "Unknown"
            condition.reason = "NodeStatusUnknown"
            condition.message = "Kubelet stopped posting node status."
            condition.lastTransitionTime = stamp
            return condition
        }
    }

    public static let unschedulableTaint = "node.kubernetes.io/unschedulable"

    /// The node's taints as its Ready condition requires: `unreachable` (Ready Unknown) or `not-ready` (Ready
    /// False) with effects NoSchedule and NoExecute, neither when Ready is True; and `unschedulable`
    /// (NoSchedule) while the node is cordoned. Other taints are kept; condition taints already present keep
    /// their timeAdded. Nil when nothing changes.
    public static func taints(_ node: Node, now: Date) -> [Taint]? {
        let ready = node.status?.conditions?.first { $0.type == "Ready" }?.status ?? "Unknown"
        let wanted: String? = switch ready {
        case "True": nil
        case "False": notReadyTaint
        default: unreachableTaint
        }
        let current = node.spec?.taints ?? []
        let cordoned = node.spec?.unschedulable ?? false
        var result = current.filter { taint in
            if taint.key == unschedulableTaint { return cordoned }
            guard taint.key == unreachableTaint || taint.key == notReadyTaint else { return true }
            return taint.key == wanted
        }
        if cordoned && !result.contains(where: { $0.key == unschedulableTaint && $0.effect == "NoSchedule" }) {
            result.append(Taint(effect: "NoSchedule", key: unschedulableTaint, timeAdded: Time(now)))
        }
        if let wanted {
            for effect in ["NoSchedule", "NoExecute"] where !result.contains(where: { $0.key == wanted && $0.effect == effect }) {
                result.append(Taint(effect: effect, key: wanted, timeAdded: effect == "NoExecute" ? Time(now) : nil))
            }
        }
        return result == current ? nil : result
    }
}

/// When a pod on a node with NoExecute taints must go, as Kubernetes' taint eviction: at once if some
/// NoExecute taint is not tolerated; otherwise at the earliest `timeAdded + tolerationSeconds` over the
/// taints whose matching tolerations carry a limit (the smallest tolerationSeconds among them); never when no
/// matching toleration is limited.
public enum TaintEviction {
    public enum Verdict: Equatable, Sendable {
        case stay
        case evictNow
        case evictAt(Date)
    }

    public static func verdict(_ pod: Pod, taints: [Taint], now: Date) -> Verdict {
        let tolerations = pod.spec?.tolerations ?? []
        var deadline: Date?
        for taint in taints where taint.effect == "NoExecute" {
            let matching = tolerations.filter { $0.tolerates(taint) }
            if matching.isEmpty { return .evictNow }
            // The shortest limit of the matching tolerations counts; only tolerations all unlimited keep it forever.
            guard let seconds = matching.compactMap(\.tolerationSeconds).min() else { continue }
            let added = taint.timeAdded?.date ?? now
            let due = added.addingTimeInterval(TimeInterval(max(0, seconds)))
            deadline = min(deadline ?? due, due)
        }
        guard let deadline else { return .stay }
        return deadline <= now ? .evictNow : .evictAt(deadline)
    }
}
