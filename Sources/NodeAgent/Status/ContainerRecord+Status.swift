import APIModel
import Foundation

extension ContainerRecord {
    /// The container's status as the kubelet reports it. Waiting before it runs (with `defaultWaiting`, the
    /// kubelet's `ContainerCreating` or `PodInitializing`, unless the start failed with a reason of its own),
    /// Running, or Terminated; a container waiting to restart shows Waiting with the ended instance as
    /// `lastState`. An init container is ready once it completed, not while it runs.
    func apiStatus(defaultWaiting: String) -> ContainerStatus {
        var status = ContainerStatus(
            containerID: containerID, image: spec.image, imageID: "", lastState: ContainerState(), name: name,
            ready: false, restartCount: restartCount, started: false)
        if let previous { status.lastState = ContainerState(terminated: previous.apiState) }
        switch stage {
        case .notStarted, .inspectingImage, .pullingImage, .creating:
            status.state = ContainerState(waiting: ContainerStateWaiting(reason: defaultWaiting))
        case .failed(let reason, let message, _, _):
            status.state = ContainerState(waiting: ContainerStateWaiting(message: message, reason: reason))
        case .running(let startedAt), .killing(let startedAt):
            status.state = ContainerState(running: ContainerStateRunning(startedAt: Time(startedAt)))
            status.started = probes.started
            status.ready = !isInit && probes.ready
        case .exited(let t):
            status.state = ContainerState(terminated: t.apiState)
            status.ready = isInit && t.succeeded
        case .backingOff(let t, let message, _):
            status.state = ContainerState(waiting: ContainerStateWaiting(message: message, reason: "CrashLoopBackOff"))
            status.lastState = ContainerState(terminated: t.apiState)
        }
        return status
    }
}
