import APIModel
import Foundation

/// What one StatefulSet sync does next (Kubernetes' `updateStatefulSet` / `updateStatefulSetStatus`), decided
/// without I/O from the set, its pods and its current and update revisions.
///
/// Pods are slotted by ordinal: `0..<replicas` are replicas (a missing one is created), higher ones are condemned
/// (deleted from the highest down). Finished pods (Failed or Succeeded) are deleted, to be recreated under the same
/// name. A new pod is of the current revision when the update strategy is RollingUpdate and its ordinal is below the
/// partition, else of the update revision.
/// - OrderedReady (monotonic): one action per sync, and none while a lower-ordinal replica is missing, terminating
///   or not Running and Ready (available, with minReadySeconds); a condemned pod is deleted only when it is the only
///   unhealthy pod or all others are healthy.
/// - Parallel: every create, finished-pod delete and condemned delete at once.
/// - RollingUpdate (only when there is nothing else to do): from the highest ordinal down to the partition, the first
///   pod not at the update revision is deleted — one at a time, waiting for every higher pod to be healthy. OnDelete
///   never deletes for an update.
public struct StatefulSetPlan: Hashable, Sendable {
    /// A pod to create: its ordinal and whether it is of the update revision (else the current one).
    public struct Creation: Hashable, Sendable {
        public var ordinal: Int
        public var atUpdateRevision: Bool

        public init(ordinal: Int, atUpdateRevision: Bool) {
            self.ordinal = ordinal
            self.atUpdateRevision = atUpdateRevision
        }
    }

    /// Pods to create, lowest ordinal first.
    public var create: [Creation] = []
    /// Pods to delete, in order.
    public var delete: [Pod] = []
    /// The status the set's pods amount to (before this plan's actions).
    public var status: StatefulSetStatus

    /// - Parameters:
    ///   - pods: the set's pods (those whose name is not `<set>-<ordinal>` are ignored).
    ///   - currentRevision, updateRevision: the revision hashes (`controller-revision-hash` values).
    public init(set: StatefulSet, pods: [Pod], currentRevision: String, updateRevision: String, now: Date) {
        let spec = set.spec
        let replicaCount = max(0, Int(spec?.replicas ?? 1))
        let monotonic = spec?.podManagementPolicy != "Parallel"
        let rolling = spec?.updateStrategy?.type != "OnDelete"
        let partition = rolling ? Int(spec?.updateStrategy?.rollingUpdate?.partition ?? 0) : 0
        let minReady = Int(spec?.minReadySeconds ?? 0)
        func healthy(_ pod: Pod) -> Bool {
            pod.metadata?.deletionTimestamp == nil && pod.status?.phase == "Running" && pod.isAvailable(minReadySeconds: minReady, now: now)
        }

        var replicas = [Pod?](repeating: nil, count: replicaCount)
        var condemned: [(ordinal: Int, pod: Pod)] = []
        for pod in pods {
            guard let ordinal = StatefulPodIdentity.ordinal(of: pod, in: set) else { continue }
            if ordinal < replicaCount { replicas[ordinal] = pod } else { condemned.append((ordinal, pod)) }
        }
        condemned.sort { $0.ordinal > $1.ordinal }
        let members = replicas.compactMap { $0 } + condemned.map(\.pod)
        status = Self.status(of: set, pods: members, currentRevision: currentRevision, updateRevision: updateRevision,
                             healthy: healthy)

        let firstUnhealthy = (replicas.compactMap { $0 } + condemned.map(\.pod)).first { !healthy($0) }
        // Replicas, lowest ordinal first.
        for ordinal in 0..<replicaCount {
            let creation = Creation(ordinal: ordinal, atUpdateRevision: !(rolling && ordinal < partition))
            guard let pod = replicas[ordinal] else {
                create.append(creation)
                if monotonic { return }
                continue
            }
            if pod.status?.phase == "Failed" || pod.status?.phase == "Succeeded", pod.metadata?.deletionTimestamp == nil {
                delete.append(pod)
                if monotonic { return }
                continue
            }
            if monotonic && !healthy(pod) { return }
        }
        // Condemned pods, highest ordinal first.
        for (_, pod) in condemned {
            if pod.metadata?.deletionTimestamp != nil {
                if monotonic { return }
                continue
            }
            if monotonic, let firstUnhealthy, firstUnhealthy != pod { return }
            delete.append(pod)
            if monotonic { return }
        }
        guard rolling, create.isEmpty, delete.isEmpty else { return }
        for ordinal in stride(from: replicaCount - 1, through: max(partition, 0), by: -1) {
            guard let pod = replicas[ordinal] else { return }
            if StatefulPodIdentity.revision(of: pod) != updateRevision && pod.metadata?.deletionTimestamp == nil {
                delete.append(pod)
                return
            }
            if !healthy(pod) { return }
        }
    }

    /// The counts (`computeReplicaStatus`) and revisions; a finished RollingUpdate makes the update revision current
    /// (`completeRollingUpdate`).
    private static func status(of set: StatefulSet, pods: [Pod], currentRevision: String, updateRevision: String,
                               healthy: (Pod) -> Bool) -> StatefulSetStatus {
        var status = StatefulSetStatus(availableReplicas: 0, collisionCount: set.status?.collisionCount, currentReplicas: 0,
                                       currentRevision: currentRevision, observedGeneration: set.metadata?.generation,
                                       readyReplicas: 0, replicas: 0, updateRevision: updateRevision, updatedReplicas: 0)
        for pod in pods {
            status.replicas! += 1
            let terminating = pod.metadata?.deletionTimestamp != nil
            if pod.status?.phase == "Running" && pod.isReady && !terminating {
                status.readyReplicas! += 1
                if healthy(pod) { status.availableReplicas! += 1 }
            }
            guard !terminating else { continue }
            let revision = StatefulPodIdentity.revision(of: pod)
            if revision == currentRevision { status.currentReplicas! += 1 }
            if revision == updateRevision { status.updatedReplicas! += 1 }
        }
        if set.spec?.updateStrategy?.type != "OnDelete", status.updatedReplicas == status.replicas,
           status.readyReplicas == status.replicas {
            status.currentRevision = updateRevision
            status.currentReplicas = status.updatedReplicas
        }
        return status
    }
}
