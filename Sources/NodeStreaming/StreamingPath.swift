/// A path the node's streaming server serves: the kubelet's `/containerLogs/{namespace}/{pod}/{container}`
/// and `/exec/{namespace}/{pod}/{container}`.
public struct StreamingPath: Sendable, Equatable {
    public enum Endpoint: String, Sendable {
        case containerLogs
        case exec
    }

    public var endpoint: Endpoint
    public var namespace: String
    public var pod: String
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
        guard parts.count == 4, let endpoint = Endpoint(rawValue: parts[0]) else { return nil }
        self.init(endpoint: endpoint, namespace: parts[1], pod: parts[2], container: parts[3])
    }

    /// The path, for requests to a node.
    public var path: String { "/\(endpoint.rawValue)/\(namespace)/\(pod)/\(container)" }
}
