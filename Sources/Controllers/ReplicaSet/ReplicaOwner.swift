import APIClient
import APIModel

/// A kind whose controller keeps a number of pods from a template running: ReplicaSet (a `LabelSelector`) and
/// ReplicationController (a map selector). Everything the replica controller needs of either, so one
/// implementation serves both.
public protocol ReplicaOwner: ServedKind {
    /// The component the controller records events as (`replicaset-controller`, `replication-controller`).
    static var controllerComponent: String { get }
    /// `spec.replicas`, 1 when unset (as the API defaults it).
    var desiredReplicas: Int { get }
    /// `spec.minReadySeconds`, 0 when unset.
    var minReadySeconds: Int { get }
    /// `spec.template`.
    var podTemplate: PodTemplateSpec? { get }
    /// The pods the owner selects; throws for a selector that cannot be read (the owner is then left alone).
    func podSelector() throws -> LabelMatcher
    /// `status`, in the shape both kinds share.
    var replicaStatus: ReplicaStatus { get }
}

extension ReplicaSet: ReplicaOwner {
    public static var controllerComponent: String { "replicaset-controller" }
    public var desiredReplicas: Int { Int(spec?.replicas ?? 1) }
    public var minReadySeconds: Int { Int(spec?.minReadySeconds ?? 0) }
    public var podTemplate: PodTemplateSpec? { spec?.template }
    /// A missing selector selects nothing (`LabelSelectorAsSelector(nil)`).
    public func podSelector() throws -> LabelMatcher { try LabelMatcher.from(spec?.selector) }
    public var replicaStatus: ReplicaStatus {
        ReplicaStatus(replicas: status?.replicas, fullyLabeledReplicas: status?.fullyLabeledReplicas,
                      readyReplicas: status?.readyReplicas, availableReplicas: status?.availableReplicas,
                      observedGeneration: status?.observedGeneration,
                      conditions: (status?.conditions ?? []).map {
                          ReplicaCondition(type: $0.type ?? "", status: $0.status ?? "", reason: $0.reason,
                                           message: $0.message, lastTransitionTime: $0.lastTransitionTime)
                      })
    }
}

extension ReplicationController: ReplicaOwner {
    public static var controllerComponent: String { "replication-controller" }
    public var desiredReplicas: Int { Int(spec?.replicas ?? 1) }
    public var minReadySeconds: Int { Int(spec?.minReadySeconds ?? 0) }
    public var podTemplate: PodTemplateSpec? { spec?.template }
    /// The map selector as `key=value` requirements (`SelectorFromSet`).
    public func podSelector() throws -> LabelMatcher { LabelMatcher(matchingExactly: spec?.selector ?? [:]) }
    public var replicaStatus: ReplicaStatus {
        ReplicaStatus(replicas: status?.replicas, fullyLabeledReplicas: status?.fullyLabeledReplicas,
                      readyReplicas: status?.readyReplicas, availableReplicas: status?.availableReplicas,
                      observedGeneration: status?.observedGeneration,
                      conditions: (status?.conditions ?? []).map {
                          ReplicaCondition(type: $0.type ?? "", status: $0.status ?? "", reason: $0.reason,
                                           message: $0.message, lastTransitionTime: $0.lastTransitionTime)
                      })
    }
}

extension ReplicaOwner {
    /// The uid of the owner's own controller (a Deployment), if it has one.
    public var controllerUID: String? {
        metadata?.ownerReferences?.first { $0.controller == true }?.uid
    }

    /// Whether `reference` points at this very object (kind and uid).
    public func isReferenced(by reference: OwnerReference?) -> Bool {
        PodClaim.isReference(reference, to: self)
    }

    /// A new pod from the template, controlled by the owner (see `Pod.fromTemplate`).
    public func newPod() -> Pod {
        Pod.fromTemplate(podTemplate, owner: self)
    }
}
