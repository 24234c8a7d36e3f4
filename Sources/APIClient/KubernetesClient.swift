import APIModel
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// A typed client of the Kubernetes REST API over HTTPS, built on AsyncHTTPClient.
///
/// Contracts:
/// - TLS trusts only the kubeconfig's CA when it has one (the system roots otherwise) and presents the
///   kubeconfig's client certificate when it has one; a kubeconfig token is sent as a bearer token.
/// - Every call that answers with a non-2xx status throws `KubernetesClientError`, decoded from the
///   Kubernetes `Status` body. Transport failures (connect, TLS, deadline) are rethrown as AsyncHTTPClient
///   throws them; bodies that do not decode throw `DecodingError`.
/// - The client holds a connection pool: call `shutdown()` once it is no longer used (AsyncHTTPClient
///   traps in debug builds when a client is released without it).
/// - It is `Sendable`: any number of tasks may use one client at once, up to `Options.maxConnections`
///   requests in flight (HTTP/1.1); further requests wait for a free connection. A watch holds its
///   connection for as long as it is open.
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

    public let config: KubeConfig
    public let options: Options
    let http: HTTPClient

    /// A client of the server `config` names, authenticating as `config` says.
    ///
    /// - Throws: NIOSSL errors when the PEM data in `config` cannot be parsed.
    public init(config: KubeConfig, options: Options = Options()) throws {
        self.config = config
        self.options = options
        var tls = TLSConfiguration.makeClientConfiguration()
        if let ca = config.certificateAuthorityPEM {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(ca.utf8)))
        }
        if let certificate = config.clientCertificatePEM, let key = config.clientKeyPEM {
            tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(certificate.utf8)).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(key.utf8), format: .pem))
        }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            timeout: .init(connect: Self.timeAmount(options.connectTimeout)),
            connectionPool: .init(idleTimeout: .seconds(60),
                                  concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, options.maxConnections)))
        configuration.decompression = .disabled
        self.http = HTTPClient(eventLoopGroup: options.eventLoopGroup ?? HTTPClient.defaultEventLoopGroup,
                               configuration: configuration)
    }

    /// A client for the kubeconfig at `url`; see `KubeConfig.load(contentsOf:)`.
    public convenience init(kubeconfig url: URL, options: Options = Options()) throws {
        try self.init(config: try KubeConfig.load(contentsOf: url), options: options)
    }

    /// Closes every connection. Requests still running fail. Call once; the client is unusable after it.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    // MARK: Raw requests

    /// Sends `method path` with `body`, and returns the status and whole body whatever the status.
    ///
    /// `path` starts with `/` and may carry a query string (`/api/v1/pods?limit=1`); it is appended to the
    /// server URL as given (escape it yourself). It throws only for transport failures, the request
    /// deadline (`Options.requestTimeout`, or `timeout`), and bodies over `Options.maxResponseBytes`.
    public func request(method: String, path: String, body: Data? = nil, contentType: String? = "application/json",
                        accept: String? = "application/json", timeout: Duration? = nil) async throws -> RawResponse {
        let response = try await send(method: method, path: path, body: body, contentType: contentType, accept: accept,
                                      deadline: .now() + Self.timeAmount(timeout ?? options.requestTimeout))
        let buffer = try await response.body.collect(upTo: options.maxResponseBytes)
        return RawResponse(status: Int(response.status.code), contentType: response.headers.first(name: "content-type"),
                           body: Self.data(buffer))
    }

    /// `request(…)`, throwing `KubernetesClientError` unless the status is 2xx; returns the body.
    func checked(method: String, path: String, body: Data? = nil, contentType: String? = "application/json") async throws -> Data {
        let response = try await request(method: method, path: path, body: body, contentType: contentType)
        guard response.isSuccess else { throw KubernetesClientError(httpStatus: response.status, body: response.body) }
        return response.body
    }

    /// Sends a request and returns once the response head is in; the body is left to stream.
    func send(method: String, path: String, body: Data?, contentType: String?, accept: String?,
              deadline: NIODeadline) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: config.server + path)
        request.method = .init(rawValue: method)
        request.headers.add(name: "User-Agent", value: options.userAgent)
        if let accept { request.headers.add(name: "Accept", value: accept) }
        if let token = config.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        return try await http.execute(request, deadline: deadline)
    }

    static func data(_ buffer: ByteBuffer) -> Data {
        buffer.withUnsafeReadableBytes { Data($0) }
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }
}
