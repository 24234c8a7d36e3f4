import APIModel
import Foundation
import NIOCore

/// A typed client of the Kubernetes REST API, over a `KubernetesTransport`: HTTPS (`HTTPSTransport`, built on
/// AsyncHTTPClient, the default) or in process (the API server offers one to its own components).
///
/// Contracts:
/// - Every call that answers with a non-2xx status throws `KubernetesClientError`, decoded from the
///   Kubernetes `Status` body. Transport failures are rethrown as the transport throws them; bodies that do
///   not decode throw `DecodingError`.
/// - Call `shutdown()` once the client is no longer used (it shuts the transport down).
/// - It is `Sendable`: any number of tasks may use one client at once.
public final class KubernetesClient: Sendable {
    /// Tuning of the connection pool and timeouts.
    public struct Options: Sendable {
        /// The most connections the pool opens to the server (one request per connection over HTTP/1.1).
        public var maxConnections: Int
        /// Deadline of a whole request (send, wait, read the body), except watches.
        public var requestTimeout: Duration
        /// Deadline of opening a connection, TLS handshake included.
        public var connectTimeout: Duration
        /// Bodies longer than this throw instead of being read into memory.
        public var maxResponseBytes: Int
        /// The event loops the connections run on; nil uses NIO's shared singleton group.
        public var eventLoopGroup: (any EventLoopGroup)?
        /// Sent as `User-Agent`.
        public var userAgent: String

        public init(maxConnections: Int = 8, requestTimeout: Duration = .seconds(30), connectTimeout: Duration = .seconds(10),
                    maxResponseBytes: Int = 512 << 20, eventLoopGroup: (any EventLoopGroup)? = nil,
                    userAgent: String = "skiff-apiclient/0.1") {
            self.maxConnections = maxConnections
            self.requestTimeout = requestTimeout
            self.connectTimeout = connectTimeout
            self.maxResponseBytes = maxResponseBytes
            self.eventLoopGroup = eventLoopGroup
            self.userAgent = userAgent
        }
    }

    /// A response as received: HTTP status, the headers that matter to callers, and the whole body.
    public struct RawResponse: Sendable, Hashable {
        public var status: Int
        /// `Content-Type`, if sent.
        public var contentType: String?
        public var body: Data

        public init(status: Int, contentType: String?, body: Data) {
            self.status = status
            self.contentType = contentType
            self.body = body
        }

        /// Whether the status is 2xx.
        public var isSuccess: Bool { (200..<300).contains(status) }
    }

    public let transport: any KubernetesTransport
    /// The deadline of a whole request (except watches) unless a call gives its own.
    public let requestTimeout: Duration

    /// A client over `transport`.
    public init(transport: any KubernetesTransport, requestTimeout: Duration = .seconds(30)) {
        self.transport = transport
        self.requestTimeout = requestTimeout
    }

    /// A client over HTTPS of the server `config` names, authenticating as `config` says (see `HTTPSTransport`).
    ///
    /// - Throws: NIOSSL errors when the PEM data in `config` cannot be parsed.
    public convenience init(config: KubeConfig, options: Options = Options()) throws {
        self.init(transport: try HTTPSTransport(config: config, options: options), requestTimeout: options.requestTimeout)
    }

    /// A client for the kubeconfig at `url`; see `KubeConfig.load(contentsOf:)`.
    public convenience init(kubeconfig url: URL, options: Options = Options()) throws {
        try self.init(config: try KubeConfig.load(contentsOf: url), options: options)
    }

    /// Shuts the transport down. Requests still running fail. Call once; the client is unusable after it.
    public func shutdown() async throws {
        try await transport.shutdown()
    }

    // MARK: Raw requests

    /// Sends `method path` with `body`, and returns the status and whole body whatever the status.
    ///
    /// `path` starts with `/` and may carry a query string (`/api/v1/pods?limit=1`), escaped by the caller.
    /// It throws only for transport failures and the request deadline (`requestTimeout`, or `timeout`).
    public func request(method: String, path: String, body: Data? = nil, contentType: String? = "application/json",
                        accept: String? = "application/json", timeout: Duration? = nil) async throws -> RawResponse {
        try await transport.send(method: method, path: path, body: body, contentType: contentType, accept: accept,
                                 timeout: timeout ?? requestTimeout)
    }

    /// `request(…)`, throwing `KubernetesClientError` unless the status is 2xx; returns the body.
    func checked(method: String, path: String, body: Data? = nil, contentType: String? = "application/json") async throws -> Data {
        let response = try await request(method: method, path: path, body: body, contentType: contentType)
        guard response.isSuccess else { throw KubernetesClientError(httpStatus: response.status, body: response.body) }
        return response.body
    }
}
