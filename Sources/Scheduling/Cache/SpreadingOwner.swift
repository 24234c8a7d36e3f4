import APIModel

/// The workload a pod belongs to for default topology spreading: its controlling owner
/// reference when that owner is a ReplicaSet, ReplicationController or StatefulSet.
///
/// Kubernetes spreads a pod with no constraints of its own across the pods matched by the
/// selectors of the Services, ReplicationControllers, ReplicaSets and StatefulSets that
/// select it (`helper.DefaultSelector`). The scheduler core has no view of those objects,
/// so it approximates "matched by the same selectors" by "controlled by the same owner"
/// (same namespace and owner UID). Pods behind a Service but with no such owner are not
/// spread by default.
public struct SpreadingOwner: Hashable, Sendable {
    /// The owner kinds whose pods are spread by default.
    public static let kinds: Set<String> = ["ReplicaSet", "ReplicationController", "StatefulSet"]

    public let namespace: String
    /// The owner's UID, or `Kind/name` when the reference carries no UID.
    public let owner: String
    /// The strings' hash, computed once: the per-node count lookups of every scheduling
    /// cycle then hash one integer instead of a UID.
    private let precomputedHash: Int

    public init(namespace: String, owner: String) {
        self.namespace = namespace
        self.owner = owner
        var hasher = Hasher()
        hasher.combine(namespace)
        hasher.combine(owner)
        precomputedHash = hasher.finalize()
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(precomputedHash)
    }

    public static func == (lhs: SpreadingOwner, rhs: SpreadingOwner) -> Bool {
        lhs.precomputedHash == rhs.precomputedHash && lhs.owner == rhs.owner && lhs.namespace == rhs.namespace
    }

    /// The spreading owner of a pod, if it has one.
    public init?(_ pod: Pod) {
        guard let reference = pod.metadata?.ownerReferences?.first(where: { $0.controller == true })
                ?? pod.metadata?.ownerReferences?.first,
              let kind = reference.kind, Self.kinds.contains(kind) else { return nil }
        let uid = reference.uid ?? ""
        self.init(namespace: PodKey(pod).namespace,
                  owner: uid.isEmpty ? kind + "/" + (reference.name ?? "") : uid)
    }
}
