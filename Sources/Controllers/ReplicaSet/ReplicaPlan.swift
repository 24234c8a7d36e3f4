import APIModel
import Foundation

/// What one sync of a ReplicaSet or ReplicationController does, decided without I/O from the owner and the
/// pods in its namespace (Kubernetes' `claimPods` and `manageReplicas`).
///
/// Only active pods count (not Succeeded, Failed or being deleted). Of those:
/// - a pod the owner controls stays its own while the selector matches it, and is released when it no longer
///   does (unless the owner is being deleted);
/// - an orphan the selector matches is adopted (unless the owner is being deleted);
/// - pods controlled by anything else are left alone.
///
/// When `manage` is true (no creates or deletes of an earlier sync are still unobserved) and the owner is not
/// being deleted, the plan creates the missing pods or deletes the surplus in `PodDeletionOrder`, at most
/// `burstReplicas` either way per sync.
public struct ReplicaPlan: Hashable, Sendable {
    /// Orphans to adopt: a controller reference to the owner is added.
    public var adopt: [Pod]
    /// Pods to release: the owner's reference is removed.
    public var release: [Pod]
    /// The owner's active pods once the adoptions and releases are made — what the status counts.
    public var pods: [Pod]
    /// How many pods to create from the template.
    public var create: Int
    /// The pods to delete, first to go first.
    public var delete: [Pod]

    /// Kubernetes' default `burstReplicas`: the most pods created or deleted by one sync.
    public static let defaultBurstReplicas = 500

    /// - Parameters:
    ///   - candidates: the pods in the owner's namespace (any owner, any state).
    ///   - related: the pods whose placement ranks deletions (see `PodDeletionOrder`).
    /// - Throws: when the owner's selector cannot be read.
    public init<Owner: ReplicaOwner>(owner: Owner, candidates: [Pod], related: [Pod] = [], manage: Bool,
                                     burstReplicas: Int = defaultBurstReplicas, now: Date) throws {
        let selector = try owner.podSelector()
        let ownerDeleting = owner.metadata?.deletionTimestamp != nil
        let claim = PodClaim(candidates.filter(\.isActive), owner: owner, selector: selector)
        self.adopt = claim.adopt
        self.release = claim.release
        self.pods = claim.owned
        self.create = 0
        self.delete = []
        guard manage && !ownerDeleting else { return }
        let diff = pods.count - owner.desiredReplicas
        if diff < 0 {
            create = min(-diff, burstReplicas)
        } else if diff > 0 {
            delete = PodDeletionOrder.podsToDelete(pods, related: related, count: min(diff, burstReplicas), now: now)
        }
    }
}

extension ReplicaPlan {
    /// The pods that rank an owner's deletions (Kubernetes' `getIndirectlyRelatedPods`): the `candidates` selected by
    /// any of `owners` controlled by the same controller as `owner` (the ReplicaSets of one Deployment), each once;
    /// none for an owner without a controller.
    public static func relatedPods<Owner: ReplicaOwner>(of owner: Owner, owners: [Owner], candidates: [Pod]) -> [Pod] {
        guard let controller = owner.controllerUID else { return [] }
        var seen: Set<String> = []
        var related: [Pod] = []
        for sibling in owners where sibling.controllerUID == controller && sibling.metadata?.namespace == owner.metadata?.namespace {
            guard let selector = try? sibling.podSelector() else { continue }
            for pod in candidates where selector.matches(pod.metadata?.labels ?? [:]) {
                if seen.insert(pod.metadata?.uid ?? "").inserted { related.append(pod) }
            }
        }
        return related
    }
}
