import APIModel
import Foundation

extension PodWorker {
    /// Carries each container's `restartCount` and `lastState.terminated` over from the pod's status as the
    /// API has it, for an agent that restarted and adopts the pod's running containers (the kubelet recovers
    /// them from the runtime's record of earlier instances). Call once, before the first event; the adopted
    /// instances are then reported through the ordinary answers (`.sandboxReady`, `.containerCreated`,
    /// `.containerStarted` with the original start time), so nothing is restarted.
    public mutating func restoreHistory(from status: PodStatus?) {
        let statuses = (status?.initContainerStatuses ?? []) + (status?.containerStatuses ?? [])
        for i in containers.indices {
            guard let previous = statuses.first(where: { $0.name == containers[i].name }) else { continue }
            containers[i].restartCount = previous.restartCount ?? 0
            if let t = previous.lastState?.terminated, let finishedAt = t.finishedAt {
                let exit = ContainerExit(exitCode: t.exitCode ?? 0, reason: t.reason, message: t.message,
                                         signal: t.signal, startedAt: t.startedAt?.date, finishedAt: finishedAt.date)
                containers[i].previous = Termination(exit: exit, containerID: t.containerID)
            }
        }
    }
}
