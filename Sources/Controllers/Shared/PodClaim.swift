import APIModel

/// Which pods an owner claims (Kubernetes' `PodControllerRefManager.ClaimPods`), decided without I/O:
/// - a pod the owner controls stays its own while the selector matches it, and is released when it no longer does
///   (unless the owner is being deleted);
/// - an orphan the selector matches is adopted, unless it or the owner is being deleted;
/// - pods controlled by anything else are left alone.
public struct PodClaim: Hashable, Sendable {
    /// Orphans to adopt: a controller reference to the owner is added.
    public var adopt: [Pod]
    /// Pods to release: the owner's reference is removed.
    public var release: [Pod]
    /// The owner's pods once the adoptions and releases are made.
    public var owned: [Pod]

    public init(adopt: [Pod], release: [Pod], owned: [Pod]) {
        self.adopt = adopt
        self.release = release
        self.owned = owned
    }

    /// - Parameters:
    ///   - candidates: the pods that may be claimed (those in the owner's namespace the caller considers at all).
    ///   - owner: the owner's kind and uid are what its controller references carry.
    public init<Owner: KubernetesObject>(_ candidates: [Pod], owner: Owner, selector: LabelMatcher) {
        let ownerDeleting = owner.metadata?.deletionTimestamp != nil
        var adopt: [Pod] = [], release: [Pod] = [], owned: [Pod] = []
        for pod in candidates {
            let matches = selector.matches(pod.metadata?.labels ?? [:])
            if let reference = pod.controllerReference {
                guard Self.isReference(reference, to: owner) else { continue }
                if matches {
                    owned.append(pod)
                } else if !ownerDeleting {
                    release.append(pod)
                }
            } else if matches && !ownerDeleting && pod.metadata?.deletionTimestamp == nil {
                adopt.append(pod)
                owned.append(pod)
            }
        }
        self.adopt = adopt
        self.release = release
        self.owned = owned
    }

    /// Whether `reference` points at this very owner (kind and uid).
    public static func isReference<Owner: KubernetesObject>(_ reference: OwnerReference?, to owner: Owner) -> Bool {
        guard let reference, let uid = owner.metadata?.uid else { return false }
        return reference.uid == uid && reference.kind == Owner.groupVersionKind.kind
    }
}
