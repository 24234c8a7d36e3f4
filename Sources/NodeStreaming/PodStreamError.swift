/// Why the node cannot serve a log or exec request, with the HTTP status it is answered with and the
/// kubelet's wording (the API server turns it into a `Status` with that message).
public struct PodStreamError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 400, 404 or 500.
    public var code: Int
    public var message: String

    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    public static func badRequest(_ message: String) -> PodStreamError { PodStreamError(code: 400, message: message) }
    public static func notFound(_ message: String) -> PodStreamError { PodStreamError(code: 404, message: message) }
    public static func internalError(_ message: String) -> PodStreamError { PodStreamError(code: 500, message: message) }

    /// The pod is not on this node.
    public static func podNotFound(namespace: String, pod: String) -> PodStreamError {
        .notFound("pod \"\(pod)\" not found in namespace \"\(namespace)\"")
    }

    /// The pod has no such container (the kubelet's `container not found`).
    public static func containerNotFound(_ container: String) -> PodStreamError {
        .notFound("container not found (\"\(container)\")")
    }

    /// The container has not started (`reason` is its waiting reason, e.g. `ContainerCreating`).
    public static func waitingToStart(container: String, pod: String, reason: String) -> PodStreamError {
        .badRequest("container \"\(container)\" in pod \"\(pod)\" is waiting to start: \(reason)")
    }

    /// `--previous` for a container that has not been restarted.
    public static func previousNotFound(container: String, pod: String) -> PodStreamError {
        .badRequest("previous terminated container \"\(container)\" in pod \"\(pod)\" not found")
    }

    /// The container has no status yet.
    public static func notAvailable(container: String, pod: String) -> PodStreamError {
        .badRequest("container \"\(container)\" in pod \"\(pod)\" is not available")
    }

    /// Exec into a container that is not running.
    public static func notRunning(container: String) -> PodStreamError {
        .badRequest("container not running (\(container))")
    }

    /// Port-forwarding to a pod that has no running sandbox (no address yet, or finished).
    public static func podNotRunning(namespace: String, pod: String) -> PodStreamError {
        .badRequest("pod \"\(pod)\" in namespace \"\(namespace)\" is not running")
    }

    /// A forwarded connection that could not be made, as the kubelet words it on the error stream.
    public static func portForwardFailed(port: UInt16, pod: String, uid: String, reason: String) -> PodStreamError {
        .internalError("error forwarding port \(port) to pod \(pod), uid \(uid): \(reason)")
    }
}
