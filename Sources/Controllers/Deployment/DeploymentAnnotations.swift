import APIModel

/// The annotations a Deployment and its ReplicaSets carry (Kubernetes' `deployment_util` annotation helpers).
public enum DeploymentAnnotations {
    /// The rollout revision: on a ReplicaSet, the revision it was last the new ReplicaSet of; on the Deployment,
    /// its new ReplicaSet's.
    public static let revision = "deployment.kubernetes.io/revision"
    /// The earlier revisions a ReplicaSet had (comma-separated), when a rollback made it new again.
    public static let revisionHistory = "deployment.kubernetes.io/revision-history"
    /// `spec.replicas` of the Deployment when it last sized the ReplicaSet.
    public static let desiredReplicas = "deployment.kubernetes.io/desired-replicas"
    /// `spec.replicas + maxSurge` of the Deployment when it last sized the ReplicaSet.
    public static let maxReplicas = "deployment.kubernetes.io/max-replicas"
    /// Why the rollout happened (set by users and `kubectl --record`), copied to the ReplicaSet.
    public static let changeCause = "kubernetes.io/change-cause"

    /// The Deployment annotations that are not copied to its ReplicaSets.
    static let notCopied: Set<String> = [
        "kubectl.kubernetes.io/last-applied-configuration", revision, revisionHistory, desiredReplicas, maxReplicas,
        "deprecated.deployment.rollback.to",
    ]

    /// The annotations of the Deployment's new ReplicaSet given its current ones (Kubernetes'
    /// `SetNewReplicaSetAnnotations`): every Deployment annotation but the controller's own is copied over (none is
    /// removed); the revision is raised to `newRevision` when lower (the old one then appended to the revision
    /// history); a ReplicaSet being created (`exists` false) also gets the desired- and max-replicas annotations of
    /// the Deployment's `rolloutBounds`.
    public static func forNewReplicaSet(_ current: [String: String], deployment: Deployment, newRevision: Int,
                                        exists: Bool) -> [String: String] {
        var annotations = current
        for (key, value) in deployment.metadata?.annotations ?? [:] where !notCopied.contains(key) {
            annotations[key] = value
        }
        let oldRevision = current[revision]
        let oldNumber = oldRevision.flatMap { Int($0) } ?? 0
        if oldNumber < newRevision {
            annotations[revision] = String(newRevision)
            if let oldRevision, !oldRevision.isEmpty {
                let history = annotations[revisionHistory].map { $0.isEmpty ? oldRevision : "\($0),\(oldRevision)" }
                annotations[revisionHistory] = history ?? oldRevision
            }
        }
        if !exists {
            annotations = withReplicas(annotations, bounds: deployment.rolloutBounds)
        }
        return annotations
    }

    /// `annotations` with the desired- and max-replicas annotations of `bounds` (Kubernetes' `SetReplicasAnnotations`).
    public static func withReplicas(_ annotations: [String: String], bounds: RolloutBounds) -> [String: String] {
        var annotations = annotations
        annotations[desiredReplicas] = String(bounds.replicas)
        annotations[maxReplicas] = String(bounds.maxTotal)
        return annotations
    }
}

extension ReplicaSet {
    /// The `deployment.kubernetes.io/revision` annotation as a number (0 when absent or malformed).
    public var revision: Int {
        metadata?.annotations?[DeploymentAnnotations.revision].flatMap { Int($0) } ?? 0
    }
}
