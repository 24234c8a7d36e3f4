import APIModel
import Foundation

/// One container of a pod (init or app) as its worker knows it: where its current instance is in its life,
/// how the previous instance ended, how often it was restarted, and its probes.
struct ContainerRecord: Sendable, Equatable {
    /// Where the current instance is.
    enum Stage: Sendable, Equatable {
        /// Not tried yet.
        case notStarted
        /// A start is under way: the image is looked up, pulled, or the container created.
        case inspectingImage, pullingImage, creating
        /// The start failed with a kubelet waiting reason (`ErrImagePull`, `ImagePullBackOff`,
        /// `ErrImageNeverPull`, `CreateContainerError`) at `at`; it is tried again at `retryAt`.
        case failed(reason: String, message: String, at: Date, retryAt: Date)
        case running(startedAt: Date)
        /// Running, asked to stop.
        case killing(startedAt: Date)
        /// Ended; the restart policy decides what follows.
        case exited(Termination)
        /// Ended, restarting at `retryAt` (`CrashLoopBackOff`).
        case backingOff(Termination, message: String, retryAt: Date)
    }

    var spec: Container
    let isInit: Bool
    var stage: Stage = .notStarted
    var containerID: String?
    /// How the previous instance ended (`lastState`).
    var previous: Termination?
    var restartCount: Int32 = 0
    var probes = ContainerProbes()
    /// The spec's image changed while an instance ran: it was killed and is replaced at once (unless Never).
    var definitionChanged = false

    var name: String { spec.name ?? "" }
    var image: String { spec.image ?? "" }
    /// The crash-loop back-off key: per container definition, as the kubelet keys it by name and spec hash.
    var backoffKey: String { "\(name)@\(image)" }
    var fieldPath: String { isInit ? "spec.initContainers{\(name)}" : "spec.containers{\(name)}" }

    var isRunning: Bool {
        if case .running = stage { return true }
        return false
    }

    /// Running or asked to stop: a process the runtime still has.
    var isAlive: Bool {
        switch stage {
        case .running, .killing: true
        default: false
        }
    }

    /// The termination of the current instance, if it ended.
    var termination: Termination? {
        switch stage {
        case .exited(let t), .backingOff(let t, _, _): t
        default: nil
        }
    }

    func event(_ type: KubeletEvent.Kind, _ reason: String, _ message: String) -> PodAction {
        .recordEvent(KubeletEvent(type, reason, message, fieldPath: fieldPath))
    }
}

/// How one container instance ended, with the kubelet's reason (`Completed`, `Error`, or the runtime's).
struct Termination: Sendable, Equatable {
    var exit: ContainerExit
    var containerID: String?

    var succeeded: Bool { exit.exitCode == 0 }

    var apiState: ContainerStateTerminated {
        ContainerStateTerminated(
            containerID: containerID, exitCode: exit.exitCode, finishedAt: Time(exit.finishedAt),
            message: exit.message, reason: exit.reason ?? (exit.exitCode == 0 ? "Completed" : "Error"),
            signal: exit.signal, startedAt: exit.startedAt.map { Time($0) })
    }
}
