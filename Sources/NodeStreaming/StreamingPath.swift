/// A path the node's streaming server serves: the kubelet's `/containerLogs/{namespace}/{pod}/{container}`,
/// `/exec/{namespace}/{pod}/{container}` and `/portForward/{namespace}/{pod}`.
public struct StreamingPath: Sendable, Equatable {
    public enum Endpoint: String, Sendable {
        case containerLogs
        case exec
        case portForward
    }

    public var endpoint: Endpoint
    public var namespace: String
    public var pod: String
    /// Empty for `portForward`, which addresses the pod.
    public var container: String

    public init(endpoint: Endpoint, namespace: String, pod: String, container: String) {
        self.endpoint = endpoint
        self.namespace = namespace
        self.pod = pod
        self.container = container
    }

    /// Parses a request path (without the query); nil for anything else.
    public init?(_ path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let endpoint = parts.first.flatMap(Endpoint.init(rawValue:)),
              parts.count == (endpoint == .portForward ? 3 : 4) else { return nil }
        self.init(endpoint: endpoint, namespace: parts[1], pod: parts[2], container: parts.count == 4 ? parts[3] : "")
    }

    /// The path, for requests to a node.
    public var path: String {
        "/\(endpoint.rawValue)/\(namespace)/\(pod)" + (endpoint == .portForward ? "" : "/\(container)")
    }
}
