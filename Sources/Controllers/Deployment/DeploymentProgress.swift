import APIModel
import Foundation

/// A Deployment's status, computed without I/O from the Deployment and its ReplicaSets (Kubernetes'
/// `calculateStatus`, `syncRolloutStatus` and `checkPausedConditions`, with `DeploymentComplete`,
/// `DeploymentProgressing` and `DeploymentTimedOut`).
///
/// Zero counts are nil, as the API omits them, so a computed status compares equal to the stored one when nothing
/// changed.
public enum DeploymentProgress {
    /// Counts over the ReplicaSets (`all` includes `new`), `observedGeneration`, and the Available condition: True
    /// (MinimumReplicasAvailable) when at least `replicas - maxUnavailable` pods are available.
    public static func status(of deployment: Deployment, all: [RolloutReplicaSet], new: RolloutReplicaSet?, now: Date) -> DeploymentStatus {
        func count(_ value: Int) -> Int32? { value == 0 ? nil : Int32(value) }
        let available = all.totalAvailable
        var status = deployment.status ?? DeploymentStatus()
        status.observedGeneration = deployment.metadata?.generation
        status.replicas = count(all.reduce(0) { $0 + $1.currentReplicas })
        status.updatedReplicas = count(new?.currentReplicas ?? 0)
        status.readyReplicas = count(all.reduce(0) { $0 + $1.readyReplicas })
        status.availableReplicas = count(available)
        status.unavailableReplicas = count(max(0, all.totalReplicas - available))
        let bounds = deployment.rolloutBounds
        if available >= bounds.minAvailable {
            status.setCondition(DeploymentCondition(type: DeploymentConditionReason.available, status: "True",
                                                    reason: DeploymentConditionReason.minimumReplicasAvailable,
                                                    message: "Deployment has minimum availability.", now: now))
        } else {
            status.setCondition(DeploymentCondition(type: DeploymentConditionReason.available, status: "False",
                                                    reason: DeploymentConditionReason.minimumReplicasUnavailable,
                                                    message: "Deployment does not have minimum availability.", now: now))
        }
        return status
    }

    /// `status` with the Progressing condition brought up to date (`syncRolloutStatus`), unless the rollout is already
    /// complete: NewReplicaSetAvailable once complete; ReplicaSetUpdated (True, keeping its transition time) while
    /// pods are updated, ready or available since the stored status; ProgressDeadlineExceeded (False) once the
    /// condition was last updated more than `progressDeadlineSeconds` ago. Without a deadline there is no
    /// Progressing condition. `replicaFailure` (a ReplicaSet's ReplicaFailure condition) is set or removed.
    public static func rolloutStatus(of deployment: Deployment, all: [RolloutReplicaSet], new: RolloutReplicaSet?,
                                     replicaFailure: DeploymentCondition?, now: Date) -> DeploymentStatus {
        var status = status(of: deployment, all: all, new: new, now: now)
        let name = deployment.metadata?.name ?? ""
        let subject = new.map { "ReplicaSet \"\($0.name)\"" } ?? "Deployment \"\(name)\""
        if deployment.progressDeadlineSeconds == nil {
            status.removeCondition(DeploymentConditionReason.progressing)
        } else {
            let current = status.condition(DeploymentConditionReason.progressing)
            let alreadyComplete = status.replicas == status.updatedReplicas
                && current?.reason == DeploymentConditionReason.newReplicaSetAvailable
            if !alreadyComplete {
                if isComplete(deployment, status) {
                    status.setCondition(DeploymentCondition(type: DeploymentConditionReason.progressing, status: "True",
                                                            reason: DeploymentConditionReason.newReplicaSetAvailable,
                                                            message: "\(subject) has successfully progressed.", now: now))
                } else if isProgressing(deployment, status) {
                    var condition = DeploymentCondition(type: DeploymentConditionReason.progressing, status: "True",
                                                        reason: DeploymentConditionReason.replicaSetUpdated,
                                                        message: "\(subject) is progressing.", now: now)
                    if current?.status == "True" { condition.lastTransitionTime = current?.lastTransitionTime }
                    status.removeCondition(DeploymentConditionReason.progressing)
                    status.setCondition(condition)
                } else if hasTimedOut(deployment, status, now: now) {
                    status.setCondition(DeploymentCondition(type: DeploymentConditionReason.progressing, status: "False",
                                                            reason: DeploymentConditionReason.progressDeadlineExceeded,
                                                            message: "\(subject) has timed out progressing.", now: now))
                }
            }
        }
        if var replicaFailure {
            replicaFailure.type = DeploymentConditionReason.replicaFailure
            status.setCondition(replicaFailure)
        } else {
            status.removeCondition(DeploymentConditionReason.replicaFailure)
        }
        return status
    }

    /// `DeploymentComplete`: every replica updated and available, and the latest generation observed.
    public static func isComplete(_ deployment: Deployment, _ status: DeploymentStatus) -> Bool {
        let replicas = Int32(deployment.desiredReplicas)
        return (status.updatedReplicas ?? 0) == replicas && (status.replicas ?? 0) == replicas
            && (status.availableReplicas ?? 0) == replicas
            && (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0)
    }

    /// `DeploymentProgressing`: more pods updated, ready or available, or fewer old ones, than in the stored status.
    static func isProgressing(_ deployment: Deployment, _ status: DeploymentStatus) -> Bool {
        let old = deployment.status ?? DeploymentStatus()
        let oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0)
        let newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0)
        return (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld
            || (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0)
            || (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
    }

    /// `DeploymentTimedOut`: the Progressing condition (not complete) was last updated longer than the deadline ago.
    static func hasTimedOut(_ deployment: Deployment, _ status: DeploymentStatus, now: Date) -> Bool {
        guard let deadline = deployment.progressDeadlineSeconds,
              let condition = status.condition(DeploymentConditionReason.progressing) else { return false }
        if condition.reason == DeploymentConditionReason.newReplicaSetAvailable { return false }
        if condition.reason == DeploymentConditionReason.progressDeadlineExceeded { return true }
        guard let from = condition.lastUpdateTime?.date else { return false }
        return from.addingTimeInterval(TimeInterval(deadline)) < now
    }

    /// When to look again at a rollout that made no progress, to notice its deadline (`requeueStuckDeployment`): nil
    /// when there is no deadline to watch (none set, no Progressing condition, complete or already timed out).
    public static func recheckAfter(_ deployment: Deployment, _ status: DeploymentStatus, now: Date) -> TimeInterval? {
        guard let deadline = deployment.progressDeadlineSeconds,
              let condition = status.condition(DeploymentConditionReason.progressing),
              condition.reason != DeploymentConditionReason.newReplicaSetAvailable,
              condition.reason != DeploymentConditionReason.progressDeadlineExceeded,
              !isComplete(deployment, status), let from = condition.lastUpdateTime?.date else { return nil }
        let after = from.addingTimeInterval(TimeInterval(deadline)).timeIntervalSince(now)
        return after < 1 ? 0 : after + 1
    }

    /// The status with the Progressing condition set to DeploymentPaused or DeploymentResumed (Unknown) when the
    /// Deployment was paused or resumed (`checkPausedConditions`); nil when nothing changes (no deadline, already
    /// timed out, or no change of pause).
    public static func pausedStatus(of deployment: Deployment, now: Date) -> DeploymentStatus? {
        guard deployment.progressDeadlineSeconds != nil else { return nil }
        var status = deployment.status ?? DeploymentStatus()
        let current = status.condition(DeploymentConditionReason.progressing)
        if current?.reason == DeploymentConditionReason.progressDeadlineExceeded { return nil }
        let pausedSet = current?.reason == DeploymentConditionReason.deploymentPaused
        if deployment.isPaused && !pausedSet {
            status.setCondition(DeploymentCondition(type: DeploymentConditionReason.progressing, status: "Unknown",
                                                    reason: DeploymentConditionReason.deploymentPaused,
                                                    message: "Deployment is paused", now: now))
        } else if !deployment.isPaused && pausedSet {
            status.setCondition(DeploymentCondition(type: DeploymentConditionReason.progressing, status: "Unknown",
                                                    reason: DeploymentConditionReason.deploymentResumed,
                                                    message: "Deployment is resumed", now: now))
        } else {
            return nil
        }
        return status
    }
}
