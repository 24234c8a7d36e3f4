import APIModel
import Foundation

/// What a pod worker asks of the node: carried out in order by the driver around it, each answered (where it
/// needs an answer) by a `PodEvent`.
public enum PodAction: Sendable, Equatable {
    /// Create the pod's sandbox (namespaces, network); answered by `.sandboxReady` or `.sandboxFailed`.
    case createSandbox
    /// Look the image up in the node's store; answered by `.imageInspected`.
    case inspectImage(String)
    /// Pull the image; answered by `.imagePulled` or `.imagePullFailed`.
    case pullImage(String)
    /// Create and start the named container in the sandbox; answered by `.containerCreated` then
    /// `.containerStarted`, or `.containerCreateFailed`.
    case createAndStartContainer(name: String)
    /// Stop the container: SIGTERM, SIGKILL after the grace period; answered by `.containerExited`.
    case killContainer(name: String, gracePeriodSeconds: Int64)
    /// Run one probe attempt (with the probe's `timeoutSeconds`); answered by `.probeResult`.
    case runProbe(container: String, kind: ProbeKind, probe: Probe)
    /// Send `.tick` at this time: the next back-off end, retry or probe due. Returned after every event that
    /// leaves one pending; replaces any earlier wake.
    case wake(at: Date)
    /// Tear down the sandbox (every container is stopped).
    case tearDownSandbox
    /// Write this pod status (only sent when it changed).
    case writeStatus(PodStatus)
    /// Record an event on the pod.
    case recordEvent(KubeletEvent)
    /// Delete the pod object with a grace period of 0: every container and the sandbox are gone.
    case finishDeletion
}

/// An event as the kubelet records it on a pod: type, reason, message and the container's field path.
public struct KubeletEvent: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable { case normal = "Normal", warning = "Warning" }
    public var type: Kind
    public var reason: String
    public var message: String
    /// `spec.containers{name}` or `spec.initContainers{name}`; nil for the pod itself.
    public var fieldPath: String?

    public init(_ type: Kind, _ reason: String, _ message: String, fieldPath: String? = nil) {
        self.type = type
        self.reason = reason
        self.message = message
        self.fieldPath = fieldPath
    }

    public var description: String { "\(type.rawValue) \(reason): \(message)" }
}
