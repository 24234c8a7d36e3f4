import Foundation

/// How a Deployment's ReplicaSets are resized, decided without I/O (Kubernetes' `rolling.go`, `recreate.go`, the
/// proportional scaling of `sync.go` and `NewRSNewReplicas`). `new` is the ReplicaSet whose template is the
/// Deployment's; `old` are all the others. Steps list only size changes unless stated.
public enum RolloutPlanner {
    /// The size the new ReplicaSet may grow to now (`NewRSNewReplicas`): for Recreate the desired replicas; for a
    /// rolling update as many more as keep the total within `replicas + maxSurge`, never above `replicas`.
    /// `all` includes `new`. Unlike Kubernetes, which sums `spec.replicas`, a ReplicaSet counts the pods its status
    /// still has when that is more (`podsOrReplicas`): an old ReplicaSet just scaled down keeps its surplus pods until
    /// its controller deletes them, and growing the new one meanwhile would briefly exceed the surge in pods.
    public static func newReplicaSetSize(_ bounds: RolloutBounds, recreate: Bool, new: RolloutReplicaSet,
                                         all: [RolloutReplicaSet]) -> Int {
        if recreate || new.replicas == bounds.replicas { return bounds.replicas }
        let current = all.totalPodsOrReplicas
        guard current < bounds.maxTotal else { return new.replicas }
        return new.replicas + min(bounds.maxTotal - current, bounds.replicas - new.replicas)
    }

    /// One step of a rolling update (`rolloutRolling`): grow (or shrink to `replicas`) the new ReplicaSet if it
    /// should change; otherwise shrink the old ones (`reconcileOldReplicaSets`) — first their unavailable pods
    /// (`cleanupUnhealthyReplicas`), as many as keep `replicas - maxUnavailable` available counting the new
    /// ReplicaSet's missing pods as unavailable, then available ones down to that minimum, oldest ReplicaSet first.
    public static func rollingUpdate(_ bounds: RolloutBounds, new: RolloutReplicaSet, old: [RolloutReplicaSet]) -> [ScaleStep] {
        let all = old + [new]
        if new.replicas > bounds.replicas {
            return [ScaleStep(name: new.name, from: new.replicas, to: bounds.replicas)]
        }
        if new.replicas < bounds.replicas {
            let size = newReplicaSetSize(bounds, recreate: false, new: new, all: all)
            if size != new.replicas { return [ScaleStep(name: new.name, from: new.replicas, to: size)] }
        }
        return scaleDownOld(bounds, new: new, old: old)
    }

    /// `reconcileOldReplicaSets`: the old ReplicaSets' shrinking (see `rollingUpdate`), one step per ReplicaSet.
    static func scaleDownOld(_ bounds: RolloutBounds, new: RolloutReplicaSet, old: [RolloutReplicaSet]) -> [ScaleStep] {
        let active = old.active.oldestFirst
        guard active.totalReplicas > 0 else { return [] }
        let all = old + [new]
        let newUnavailable = new.replicas - new.availableReplicas
        let maxScaledDown = all.totalReplicas - bounds.minAvailable - newUnavailable
        guard maxScaledDown > 0 else { return [] }
        var sizes = active.map(\.replicas)
        // Unavailable pods first: removing them costs no availability.
        var cleaned = 0
        for (index, replicaSet) in active.enumerated() {
            if cleaned >= maxScaledDown { break }
            let unhealthy = replicaSet.replicas - replicaSet.availableReplicas
            guard unhealthy > 0 else { continue }
            let count = min(maxScaledDown - cleaned, unhealthy)
            sizes[index] -= count
            cleaned += count
        }
        // Then available ones, down to the minimum available. A ReplicaSet counts at most `spec.replicas` available
        // (unlike Kubernetes): the status of one just scaled down may still count pods being deleted.
        let available = all.totalAvailableWithinReplicas
        if available > bounds.minAvailable {
            let total = available - bounds.minAvailable
            var done = 0
            for index in active.indices {
                if done >= total { break }
                guard sizes[index] > 0 else { continue }
                let count = min(sizes[index], total - done)
                sizes[index] -= count
                done += count
            }
        }
        return zip(active, sizes).compactMap { replicaSet, size in
            size == replicaSet.replicas ? nil : ScaleStep(name: replicaSet.name, from: replicaSet.replicas, to: size)
        }
    }

    /// What a Recreate rollout does next (`rolloutRecreate`).
    public enum RecreateAction: Hashable, Sendable {
        /// Resize these ReplicaSets (the old ones to 0, or the new one to `replicas`).
        case scale([ScaleStep])
        /// Old pods are still running (or terminating): wait for them to go.
        case waitForOldPods
        /// Create the new ReplicaSet, at `replicas`.
        case createNewReplicaSet
        /// Nothing to change.
        case none
    }

    /// One step of a Recreate rollout: scale every old ReplicaSet to 0; once none of their pods is left (not
    /// Succeeded or Failed), create the new ReplicaSet or bring it to `replicas`.
    public static func recreate(_ bounds: RolloutBounds, new: RolloutReplicaSet?, old: [RolloutReplicaSet],
                                oldPodsRunning: Bool) -> RecreateAction {
        let active = old.active
        if !active.isEmpty {
            return .scale(active.oldestFirst.map { ScaleStep(name: $0.name, from: $0.replicas, to: 0) })
        }
        if oldPodsRunning { return .waitForOldPods }
        guard let new else { return .createNewReplicaSet }
        return new.replicas == bounds.replicas ? .none : .scale([ScaleStep(name: new.name, from: new.replicas, to: bounds.replicas)])
    }

    /// Whether `spec.replicas` changed since an active ReplicaSet was last sized (`isScalingEvent`).
    public static func isScalingEvent(_ bounds: RolloutBounds, all: [RolloutReplicaSet]) -> Bool {
        all.active.contains { $0.desiredAnnotation.map { $0 != bounds.replicas } ?? false }
    }

    /// Whether the new ReplicaSet alone has all the replicas available (`IsSaturated`).
    public static func isSaturated(_ bounds: RolloutBounds, new: RolloutReplicaSet?) -> Bool {
        guard let new else { return false }
        return new.desiredAnnotation == bounds.replicas && new.replicas == bounds.replicas
            && new.availableReplicas == bounds.replicas
    }

    /// A resize of a Deployment with no rollout under way, or paused, or whose `spec.replicas` changed mid-rollout
    /// (`scale`):
    /// - the only active ReplicaSet (or, none being active, the new or else the newest) takes `replicas`;
    /// - if the new ReplicaSet is saturated the old ones go to 0;
    /// - for a rolling update, the change in `replicas + maxSurge` is shared out in proportion to each active
    ///   ReplicaSet's size against the max-replicas it was last sized for (`statusReplicas` when it has no such
    ///   annotation), biggest first (newest first among equals when growing, oldest when shrinking), the rounding
    ///   leftover going to the first. These steps include unchanged sizes (their replicas annotations are
    ///   refreshed).
    public static func proportionalScale(_ bounds: RolloutBounds, recreate: Bool, new: RolloutReplicaSet?,
                                         old: [RolloutReplicaSet], statusReplicas: Int) -> [ScaleStep] {
        if let only = activeOrLatest(new: new, old: old) {
            return only.replicas == bounds.replicas ? [] : [ScaleStep(name: only.name, from: only.replicas, to: bounds.replicas)]
        }
        if isSaturated(bounds, new: new) {
            return old.active.oldestFirst.map { ScaleStep(name: $0.name, from: $0.replicas, to: 0) }
        }
        guard !recreate else { return [] }
        var all = (old + (new.map { [$0] } ?? [])).active
        let allowed = bounds.replicas > 0 ? bounds.maxTotal : 0
        let toAdd = allowed - all.totalReplicas
        if toAdd > 0 {
            all.sort { $0.replicas != $1.replicas ? $0.replicas > $1.replicas : ($0.created != $1.created ? $0.created > $1.created : $0.name < $1.name) }
        } else if toAdd < 0 {
            all.sort { $0.replicas != $1.replicas ? $0.replicas > $1.replicas : ($0.created != $1.created ? $0.created < $1.created : $0.name < $1.name) }
        }
        var sizes = all.map(\.replicas)
        var added = 0
        if toAdd != 0 {
            for (index, replicaSet) in all.enumerated() {
                let share = proportion(replicaSet, bounds, toAdd: toAdd, added: added, statusReplicas: statusReplicas)
                sizes[index] += share
                added += share
            }
            if !sizes.isEmpty { sizes[0] = max(0, sizes[0] + toAdd - added) }
        }
        return zip(all, sizes).map { ScaleStep(name: $0.name, from: $0.replicas, to: $1) }
    }

    /// `GetProportion`: the replicas `replicaSet` gains (or loses) of `toAdd`, `added` being shared out already.
    private static func proportion(_ replicaSet: RolloutReplicaSet, _ bounds: RolloutBounds, toAdd: Int, added: Int,
                                   statusReplicas: Int) -> Int {
        guard replicaSet.replicas != 0, toAdd != 0, toAdd != added else { return 0 }
        let fraction: Int
        if bounds.replicas == 0 {
            fraction = -replicaSet.replicas
        } else {
            let annotated = replicaSet.maxAnnotation ?? statusReplicas
            guard annotated != 0 else { return 0 }
            let size = Double(replicaSet.replicas * bounds.maxTotal) / Double(annotated)
            fraction = Int(size.rounded()) - replicaSet.replicas
        }
        let allowed = toAdd - added
        return toAdd > 0 ? min(fraction, allowed) : max(fraction, allowed)
    }

    /// `FindActiveOrLatest`: the only active ReplicaSet; with none active, the new one or else the newest old one;
    /// nil with several active.
    static func activeOrLatest(new: RolloutReplicaSet?, old: [RolloutReplicaSet]) -> RolloutReplicaSet? {
        let all = (old + (new.map { [$0] } ?? [])).active
        switch all.count {
        case 0: return new ?? old.oldestFirst.last
        case 1: return all[0]
        default: return nil
        }
    }

    /// The old ReplicaSets to delete beyond `revisionHistoryLimit` (`cleanupDeployment`): of those not being
    /// deleted, the lowest revisions beyond the limit, skipping any that still has replicas (wanted or running) or
    /// whose status is not of its current generation. Nil limit keeps everything.
    public static func historyToDelete(old: [RolloutReplicaSet], limit: Int?) -> [String] {
        guard let limit else { return [] }
        let alive = old.filter { !$0.isDeleting }
        let excess = alive.count - max(0, limit)
        guard excess > 0 else { return [] }
        let byRevision = alive.sorted {
            $0.revision != $1.revision ? $0.revision < $1.revision : ($0.created != $1.created ? $0.created < $1.created : $0.name < $1.name)
        }
        return byRevision.prefix(excess).filter { $0.replicas == 0 && $0.currentReplicas == 0 && $0.isObserved }.map(\.name)
    }
}
