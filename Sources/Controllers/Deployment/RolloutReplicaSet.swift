import APIModel
import Foundation

/// What rollout planning needs of one of a Deployment's ReplicaSets.
public struct RolloutReplicaSet: Hashable, Sendable {
    public var name: String
    public var created: Date
    /// `spec.replicas`.
    public var replicas: Int
    /// `status.replicas`, `status.readyReplicas`, `status.availableReplicas`.
    public var currentReplicas: Int
    public var readyReplicas: Int
    public var availableReplicas: Int
    /// The revision annotation (0 when absent).
    public var revision: Int
    /// The desired- and max-replicas annotations.
    public var desiredAnnotation: Int?
    public var maxAnnotation: Int?
    /// Whether it is being deleted.
    public var isDeleting: Bool
    /// Whether its status is of its current generation.
    public var isObserved: Bool

    public init(name: String, created: Date = Date(timeIntervalSince1970: 0), replicas: Int, currentReplicas: Int? = nil,
                readyReplicas: Int? = nil, availableReplicas: Int? = nil, revision: Int = 0, desiredAnnotation: Int? = nil,
                maxAnnotation: Int? = nil, isDeleting: Bool = false, isObserved: Bool = true) {
        self.name = name
        self.created = created
        self.replicas = replicas
        self.currentReplicas = currentReplicas ?? replicas
        self.readyReplicas = readyReplicas ?? self.currentReplicas
        self.availableReplicas = availableReplicas ?? self.readyReplicas
        self.revision = revision
        self.desiredAnnotation = desiredAnnotation
        self.maxAnnotation = maxAnnotation
        self.isDeleting = isDeleting
        self.isObserved = isObserved
    }

    public init(_ replicaSet: ReplicaSet) {
        let annotations = replicaSet.metadata?.annotations ?? [:]
        self.init(name: replicaSet.metadata?.name ?? "",
                  created: replicaSet.metadata?.creationTimestamp?.date ?? Date(timeIntervalSince1970: 0),
                  replicas: Int(replicaSet.spec?.replicas ?? 1),
                  currentReplicas: Int(replicaSet.status?.replicas ?? 0),
                  readyReplicas: Int(replicaSet.status?.readyReplicas ?? 0),
                  availableReplicas: Int(replicaSet.status?.availableReplicas ?? 0),
                  revision: replicaSet.revision,
                  desiredAnnotation: annotations[DeploymentAnnotations.desiredReplicas].flatMap { Int($0) },
                  maxAnnotation: annotations[DeploymentAnnotations.maxReplicas].flatMap { Int($0) },
                  isDeleting: replicaSet.metadata?.deletionTimestamp != nil,
                  isObserved: (replicaSet.status?.observedGeneration ?? 0) >= (replicaSet.metadata?.generation ?? 0))
    }
}

/// A ReplicaSet to resize.
public struct ScaleStep: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var from: Int
    public var to: Int

    public init(name: String, from: Int, to: Int) {
        self.name = name
        self.from = from
        self.to = to
    }

    public var description: String { "\(name) \(from)→\(to)" }
}

extension Array where Element == RolloutReplicaSet {
    /// Sum of `spec.replicas` (`GetReplicaCountForReplicaSets`).
    var totalReplicas: Int { reduce(0) { $0 + $1.replicas } }
    /// Sum of `status.availableReplicas`.
    var totalAvailable: Int { reduce(0) { $0 + $1.availableReplicas } }
    /// Sum of the larger of `spec.replicas` and `status.replicas`: the pods there are or are about to be.
    var totalPodsOrReplicas: Int { reduce(0) { $0 + Swift.max($1.replicas, $1.currentReplicas) } }
    /// Sum of the smaller of `status.availableReplicas` and `spec.replicas`: the pods surely available once scale-downs
    /// under way are done.
    var totalAvailableWithinReplicas: Int { reduce(0) { $0 + Swift.min($1.availableReplicas, $1.replicas) } }
    /// Those with a non-zero `spec.replicas` (`FilterActiveReplicaSets`).
    var active: [RolloutReplicaSet] { filter { $0.replicas > 0 } }
    /// Oldest first, ties by name (`ReplicaSetsByCreationTimestamp`).
    var oldestFirst: [RolloutReplicaSet] {
        sorted { $0.created != $1.created ? $0.created < $1.created : $0.name < $1.name }
    }
}
