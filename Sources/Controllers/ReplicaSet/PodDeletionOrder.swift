import APIModel
import Foundation

/// Which pods a replica controller deletes first when it scales down (Kubernetes' `ActivePodsWithRanks` and
/// `getPodsToDelete`, with the LogarithmicScaleDown and PodDeletionCost behaviour that is on by default).
///
/// Applying each rule in turn until one decides, a pod goes before another when it is:
/// 1. not assigned to a node (and the other is);
/// 2. in an earlier phase: Pending, then Unknown, then Running;
/// 3. not Ready (and the other is);
/// 4. of a lower `controller.kubernetes.io/pod-deletion-cost`;
/// 5. of a higher rank: more related active pods on its node (doubled-up pods go first);
/// 6. both Ready: Ready for less time (compared on a log2 scale of the age, ties broken by uid);
/// 7. has a container with more restarts;
/// 8. newer (creation time on a log2 scale, ties broken by uid; no creation time goes first).
public enum PodDeletionOrder {
    /// The `count` pods of `pods` to delete, in deletion order. A pod's rank is the number of active `related`
    /// pods on its node: Kubernetes passes the pods of every ReplicaSet with the same controller (a Deployment's),
    /// and none for an owner without a controller, whose pods then all rank alike.
    public static func podsToDelete(_ pods: [Pod], related: [Pod] = [], count: Int, now: Date) -> [Pod] {
        guard count > 0 else { return [] }
        var perNode: [String: Int] = [:]
        for pod in related where pod.isActive { perNode[pod.spec?.nodeName ?? "", default: 0] += 1 }
        let ranked = pods.map { (pod: $0, rank: perNode[$0.spec?.nodeName ?? ""] ?? 0) }
        let sorted = ranked.sorted { precedes($0.pod, rank: $0.rank, $1.pod, rank: $1.rank, now: now) }
        return sorted.prefix(count).map(\.pod)
    }

    /// Whether `a` (ranked `rankA`) is to be deleted before `b` (ranked `rankB`).
    public static func precedes(_ a: Pod, rank rankA: Int, _ b: Pod, rank rankB: Int, now: Date) -> Bool {
        let nodeA = a.spec?.nodeName ?? "", nodeB = b.spec?.nodeName ?? ""
        if nodeA != nodeB && (nodeA.isEmpty || nodeB.isEmpty) { return nodeA.isEmpty }
        let phaseA = phaseOrdinal(a), phaseB = phaseOrdinal(b)
        if phaseA != phaseB { return phaseA < phaseB }
        if a.isReady != b.isReady { return !a.isReady }
        if a.deletionCost != b.deletionCost { return a.deletionCost < b.deletionCost }
        if rankA != rankB { return rankA > rankB }
        if a.isReady && b.isReady {
            let readyA = a.readyCondition?.lastTransitionTime?.date, readyB = b.readyCondition?.lastTransitionTime?.date
            if readyA != readyB, let decided = newerFirst(readyA, readyB, a, b, now: now) { return decided }
        }
        if a.maxContainerRestarts != b.maxContainerRestarts { return a.maxContainerRestarts > b.maxContainerRestarts }
        let createdA = a.metadata?.creationTimestamp?.date, createdB = b.metadata?.creationTimestamp?.date
        if createdA != createdB, let decided = newerFirst(createdA, createdB, a, b, now: now) { return decided }
        return false
    }

    /// Pending 0, Unknown 1, Running 2; any other phase counts as Pending (as Go's map lookup of zero).
    private static func phaseOrdinal(_ pod: Pod) -> Int {
        switch pod.status?.phase {
        case "Unknown": 1
        case "Running": 2
        default: 0
        }
    }

    /// A missing time first, then the later time first, on a log2 scale of the age at `now`; nil when both fall in
    /// the same bucket and have the same uid.
    private static func newerFirst(_ timeA: Date?, _ timeB: Date?, _ a: Pod, _ b: Pod, now: Date) -> Bool? {
        guard let timeA, let timeB else { return timeA == nil }
        let rankDiff = logRank(timeA, now: now) - logRank(timeB, now: now)
        if rankDiff == 0 {
            let uidA = a.metadata?.uid ?? "", uidB = b.metadata?.uid ?? ""
            return uidA == uidB ? nil : uidA < uidB
        }
        return rankDiff < 0
    }

    /// ⌊log2(age in nanoseconds)⌋, or -1 for a time not in the past.
    private static func logRank(_ time: Date, now: Date) -> Int {
        let nanoseconds = now.timeIntervalSince(time) * 1e9
        return nanoseconds >= 1 ? Int(log2(nanoseconds)) : -1
    }
}
