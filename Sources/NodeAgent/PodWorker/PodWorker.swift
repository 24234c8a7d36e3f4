import APIModel
import Foundation

/// The kubelet's pod worker for one pod, as a pure state machine: `on(_:now:)` takes a `PodEvent` (the pod as
/// seen in the API, or an answer of the runtime, image store, network or prober) and returns the
/// `PodAction`s to carry out, in order. No I/O; time is passed in.
///
/// What it decides, as the kubelet's `computePodActions` and `SyncPod` do:
/// - the sandbox first (re-created 10 s after a failure), then the init containers one at a time, in order,
///   each to successful completion, then every app container;
/// - starting a container: inspect its image, pull it when `imagePullPolicy` asks (Always; IfNotPresent and
///   absent; never under Never), create and start it;
/// - an ended container restarts as `restartPolicy` says (init containers: unless Never, only on failure),
///   after the crash-loop back-off (`Backoff`: the first restart at once, then 10 s doubling to 5 min; reset
///   after 10 min of running); image pulls back off the same way per image;
/// - probes (`ContainerProbes`): a liveness or startup failure past its threshold kills the container, which
///   then restarts per policy; readiness feeds `ready` and the Ready condition;
/// - deletion: every running container is killed with the grace period; once none runs the sandbox is torn
///   down, the terminal status written and the deletion finished. A Succeeded or Failed pod is never
///   restarted; its sandbox is torn down. Past `activeDeadlineSeconds` the pod fails (`DeadlineExceeded`) and
///   its containers are stopped.
/// After every event the status (`PodStatus`, as `generateAPIPodStatus`) is written when it changed, and a
/// `.wake` asks for a `.tick` when a back-off, retry or probe comes due.
public struct PodWorker: Sendable {
    public internal(set) var pod: Pod
    public let hostIP: String
    /// True once `.finishDeletion` was returned; later events return nothing.
    public internal(set) var finished = false
    /// The status last written (initially the pod's own).
    public internal(set) var lastStatus: PodStatus?

    let startTime: Date
    var sandbox: Sandbox = .none
    var containers: [ContainerRecord]
    var crashBackoff = Backoff()
    var pullBackoff = Backoff()
    /// The last pull error of each image, for the ImagePullBackOff message.
    var pullErrors: [String: String] = [:]
    /// Set once deletion was requested: the grace period containers are killed with.
    var terminationGrace: Int64?
    /// `activeDeadlineSeconds` ran out: the pod fails (`DeadlineExceeded`) and its containers are stopped.
    var deadlineExceeded = false

    static let deadlineMessage = "Pod was active on the node longer than the specified deadline"

    enum Sandbox: Sendable, Equatable {
        case none, creating, ready(podIPs: [String]), failed(retryAt: Date), tornDown
    }

    /// How long a failed sandbox, container creation or ErrImageNeverPull waits before the next try (the pod
    /// worker's requeue period).
    static let retryPeriod: TimeInterval = 10

    public init(pod: Pod, hostIP: String, now: Date) {
        self.pod = pod
        self.hostIP = hostIP
        self.startTime = now
        self.lastStatus = pod.status
        let initContainers = (pod.spec?.initContainers ?? []).map { ContainerRecord(spec: $0, isInit: true) }
        let appContainers = (pod.spec?.containers ?? []).map { ContainerRecord(spec: $0, isInit: false) }
        self.containers = initContainers + appContainers
    }

    /// Applies `event` at `now` and returns what to do next.
    public mutating func on(_ event: PodEvent, now: Date) -> [PodAction] {
        guard !finished else { return [] }
        var actions: [PodAction] = []
        apply(event, now: now, into: &actions)
        sync(now: now, into: &actions)
        return actions
    }

    var restartPolicy: String { pod.spec?.restartPolicy ?? "Always" }

    var podGracePeriod: Int64 { pod.spec?.terminationGracePeriodSeconds ?? 30 }

    /// `name_namespace(uid)`, as the kubelet names a pod in messages.
    var podDescription: String {
        "\(pod.metadata?.name ?? "")_\(pod.metadata?.namespace ?? "")(\(pod.metadata?.uid ?? ""))"
    }

    func index(of name: String) -> Int? { containers.firstIndex { $0.name == name } }

    var isTerminal: Bool { lastStatus?.phase == "Succeeded" || lastStatus?.phase == "Failed" }
}
