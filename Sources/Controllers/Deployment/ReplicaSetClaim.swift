import APIModel

/// Which ReplicaSets a Deployment owns, adopts and releases, decided without I/O (Kubernetes' `ClaimReplicaSets`
/// through the controller ref manager), from the ReplicaSets in its namespace:
/// - one it controls stays its own while its selector matches the ReplicaSet's labels, and is released when it no
///   longer does (unless the Deployment is being deleted);
/// - an orphan (no controller) not being deleted whose labels match is adopted (unless the Deployment is being
///   deleted);
/// - ReplicaSets controlled by anything else are left alone.
public struct ReplicaSetClaim: Sendable {
    /// The Deployment's ReplicaSets once the adoptions and releases are made.
    public var owned: [ReplicaSet]
    /// Orphans to adopt: a controller reference to the Deployment is added.
    public var adopt: [ReplicaSet]
    /// ReplicaSets to release: the Deployment's reference is removed.
    public var release: [ReplicaSet]

    /// - Throws: when the Deployment's selector cannot be read.
    public init(deployment: Deployment, candidates: [ReplicaSet]) throws {
        let selector = try LabelMatcher.from(deployment.spec?.selector)
        let deleting = deployment.metadata?.deletionTimestamp != nil
        let uid = deployment.metadata?.uid
        var owned: [ReplicaSet] = [], adopt: [ReplicaSet] = [], release: [ReplicaSet] = []
        for replicaSet in candidates where replicaSet.metadata?.namespace == deployment.metadata?.namespace {
            let matches = selector.matches(replicaSet.metadata?.labels ?? [:])
            if let reference = replicaSet.metadata?.ownerReferences?.first(where: { $0.controller == true }) {
                guard uid != nil, reference.uid == uid else { continue }
                if matches || deleting {
                    owned.append(replicaSet)
                } else {
                    release.append(replicaSet)
                }
            } else if matches && !deleting && replicaSet.metadata?.deletionTimestamp == nil {
                adopt.append(replicaSet)
                owned.append(replicaSet)
            }
        }
        self.owned = owned
        self.adopt = adopt
        self.release = release
    }
}

extension Deployment {
    /// The controller reference its ReplicaSets carry: kind, name and uid, `controller` and `blockOwnerDeletion` true.
    public var controllerReference: OwnerReference {
        OwnerReference(kind: Self.groupVersionKind.kind, apiVersion: Self.groupVersionKind.apiVersion, blockOwnerDeletion: true,
                       controller: true, name: metadata?.name, uid: metadata?.uid)
    }
}
