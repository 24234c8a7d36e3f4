import APIModel
import Foundation

/// What happens to a pod, as its worker is told: the pod as seen in the API, and the answers of the runtime,
/// the image store, the pod network and the probers to the worker's `PodAction`s. Time comes with each
/// `PodWorker.on(_:now:)` call; times inside events (`startedAt`, `finishedAt`) are the runtime's.
public enum PodEvent: Sendable, Equatable {
    /// The pod as last seen in the API (spec updates; a `deletionTimestamp` starts termination).
    case podUpdated(Pod)
    /// The sandbox (namespaces, network) is up with these pod IPs, first the primary.
    case sandboxReady(podIPs: [String])
    /// Creating the sandbox failed; the worker retries after 10 s.
    case sandboxFailed(message: String)
    /// Answer to `.inspectImage`: whether the image is in the node's store.
    case imageInspected(image: String, present: Bool)
    /// Answer to `.pullImage`: the image is in the store now (`sizeBytes`, `seconds` the pull took).
    case imagePulled(image: String, sizeBytes: Int64, seconds: Double)
    /// Answer to `.pullImage`: the pull failed with `message`.
    case imagePullFailed(image: String, message: String)
    /// Answer to `.createAndStartContainer`: the container exists with this runtime ID (`runtime://id`).
    case containerCreated(name: String, containerID: String)
    /// The container's process started.
    case containerStarted(name: String, startedAt: Date)
    /// Answer to `.createAndStartContainer`: creating the container failed (`CreateContainerError`).
    case containerCreateFailed(name: String, message: String)
    /// The container's process ended (on its own or after `.killContainer`).
    case containerExited(name: String, ContainerExit)
    /// Answer to `.runProbe`.
    case probeResult(container: String, ProbeKind, ProbeOutcome)
    /// The pod is being deleted with this grace period (also derived from `podUpdated` with a deletionTimestamp).
    case deletionRequested(gracePeriodSeconds: Int64)
    /// Time passed (a `.wake` came due).
    case tick
}

/// How a container's process ended, as the runtime reports it.
public struct ContainerExit: Sendable, Equatable {
    public var exitCode: Int32
    /// The runtime's reason, e.g. `OOMKilled`; nil gives the kubelet's `Completed` (0) or `Error`.
    public var reason: String?
    public var message: String?
    public var signal: Int32?
    public var startedAt: Date?
    public var finishedAt: Date

    public init(exitCode: Int32, reason: String? = nil, message: String? = nil, signal: Int32? = nil,
                startedAt: Date? = nil, finishedAt: Date) {
        self.exitCode = exitCode
        self.reason = reason
        self.message = message
        self.signal = signal
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}

/// The three kinds of probe, in the order the kubelet gates them (startup first).
public enum ProbeKind: String, Sendable, Hashable, CaseIterable {
    case startup, liveness, readiness

    /// As events name it: `Liveness`, `Readiness`, `Startup`.
    public var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

/// One probe attempt's outcome; a failure carries the prober's output (kept in the Unhealthy event).
public enum ProbeOutcome: Sendable, Equatable {
    case success
    case failure(output: String)
}
