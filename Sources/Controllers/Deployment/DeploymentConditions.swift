import APIModel
import Foundation

/// The Deployment condition types (`available`, `progressing`, `replicaFailure`) and the reasons the controller sets
/// (Kubernetes' `deployment_util` constants).
public enum DeploymentConditionReason {
    public static let available = "Available"
    public static let progressing = "Progressing"
    public static let replicaFailure = "ReplicaFailure"

    public static let minimumReplicasAvailable = "MinimumReplicasAvailable"
    public static let minimumReplicasUnavailable = "MinimumReplicasUnavailable"
    public static let newReplicaSetCreated = "NewReplicaSetCreated"
    public static let foundNewReplicaSet = "FoundNewReplicaSet"
    public static let replicaSetUpdated = "ReplicaSetUpdated"
    public static let newReplicaSetAvailable = "NewReplicaSetAvailable"
    public static let progressDeadlineExceeded = "ProgressDeadlineExceeded"
    public static let failedReplicaSetCreate = "ReplicaSetCreateError"
    public static let deploymentPaused = "DeploymentPaused"
    public static let deploymentResumed = "DeploymentResumed"
}

extension DeploymentStatus {
    /// The condition of `type`, if any.
    public func condition(_ type: String) -> DeploymentCondition? {
        conditions?.first { $0.type == type }
    }

    /// Sets a condition (`SetDeploymentCondition`): one of the same status and reason already there is kept as is;
    /// one of the same status keeps its lastTransitionTime; the condition replaces any of its type.
    public mutating func setCondition(_ condition: DeploymentCondition) {
        var condition = condition
        if let current = self.condition(condition.type ?? "") {
            if current.status == condition.status && current.reason == condition.reason { return }
            if current.status == condition.status { condition.lastTransitionTime = current.lastTransitionTime }
        }
        removeCondition(condition.type ?? "")
        conditions = (conditions ?? []) + [condition]
    }

    /// Removes the condition of `type` (no conditions left is nil, as the API omits an empty list).
    public mutating func removeCondition(_ type: String) {
        conditions?.removeAll { $0.type == type }
        if conditions?.isEmpty == true { conditions = nil }
    }
}

extension DeploymentCondition {
    /// A condition updated and transitioned at `now` (`NewDeploymentCondition`).
    public init(type: String, status: String, reason: String, message: String, now: Date) {
        self.init(lastTransitionTime: Time(now), lastUpdateTime: Time(now), message: message, reason: reason,
                  status: status, type: type)
    }
}
