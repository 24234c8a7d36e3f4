import APIModel
import Foundation

/// The facts about a pod that replica controllers decide on (Kubernetes' `podutil.IsPodReady`,
/// `IsPodAvailable`, `controller.IsPodActive`, `metav1.GetControllerOf`).
extension Pod {
    /// Neither Succeeded nor Failed, and not being deleted: a pod that counts as a replica.
    public var isActive: Bool {
        let phase = status?.phase
        return phase != "Succeeded" && phase != "Failed" && metadata?.deletionTimestamp == nil
    }

    /// The pod's `Ready` condition, if it has one.
    public var readyCondition: PodCondition? {
        status?.conditions?.first { $0.type == "Ready" }
    }

    /// Whether the `Ready` condition is True.
    public var isReady: Bool { readyCondition?.status == "True" }

    /// When the pod last became Ready (nil unless it is Ready and the transition time is known).
    public var readySince: Date? {
        guard isReady else { return nil }
        return readyCondition?.lastTransitionTime?.date
    }

    /// Ready for longer than `minReadySeconds` at `now` (at once when it is 0), as Kubernetes counts
    /// available replicas: the Ready condition's lastTransitionTime plus minReadySeconds is before now.
    public func isAvailable(minReadySeconds: Int, now: Date) -> Bool {
        guard isReady else { return false }
        if minReadySeconds <= 0 { return true }
        guard let since = readySince else { return false }
        return since.addingTimeInterval(TimeInterval(minReadySeconds)) < now
    }

    /// The owner reference marked `controller: true`, if any.
    public var controllerReference: OwnerReference? {
        metadata?.ownerReferences?.first { $0.controller == true }
    }

    /// The most restarts of any of the pod's containers.
    var maxContainerRestarts: Int32 {
        status?.containerStatuses?.map { $0.restartCount ?? 0 }.max() ?? 0
    }

    /// The `controller.kubernetes.io/pod-deletion-cost` annotation (0 when absent or not an int32).
    var deletionCost: Int32 {
        metadata?.annotations?["controller.kubernetes.io/pod-deletion-cost"].flatMap { Int32($0) } ?? 0
    }
}
