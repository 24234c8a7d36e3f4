import APIModel

/// How pods are deleted, as Kubernetes' pod strategy decides: a pod bound to no node, or one that has
/// finished (Succeeded or Failed), goes at once; a running pod gets a grace period — the one asked for, else
/// its `terminationGracePeriodSeconds`, else 30 s — and stays, marked, until its node has stopped it and
/// deletes it with a grace period of 0.
enum PodDeletion {
    static func grace(_ pod: Pod, requested: Int64?) -> DeletionGrace {
        let node = pod.spec?.nodeName ?? ""
        if node.isEmpty { return .immediate }
        if let phase = pod.status?.phase, phase == "Succeeded" || phase == "Failed" { return .immediate }
        var seconds = requested ?? pod.spec?.terminationGracePeriodSeconds ?? 30
        // A negative period is taken as the shortest graceful one, as Kubernetes does.
        if seconds < 0 { seconds = 1 }
        return DeletionGrace(seconds: seconds, finishedByNode: node)
    }
}
