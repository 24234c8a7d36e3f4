import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// How a `KubernetesClient` reaches the API server.
///
/// Contracts: `send` returns the status and whole body whatever the status, throwing only for transport
/// failures and its deadline; `stream` returns once the response head is in, with the body as chunks that end
/// when the server ends the response (or throw on transport errors) and stop when the consumer drops them.
public protocol KubernetesTransport: Sendable {
    func send(method: String, path: String, body: Data?, contentType: String?, accept: String?,
              timeout: Duration) async throws -> KubernetesClient.RawResponse
    func stream(path: String, accept: String?, timeout: Duration) async throws -> KubernetesClient.StreamedResponse
    func shutdown() async throws
}

extension KubernetesClient {
    /// A response whose body is still arriving (a watch).
    public struct StreamedResponse: Sendable {
        public var status: Int
        public var body: AsyncThrowingStream<Data, any Error>

        public init(status: Int, body: AsyncThrowingStream<Data, any Error>) {
            self.status = status
            self.body = body
        }
    }
}

/// The API over HTTPS, with AsyncHTTPClient.
///
/// Contracts:
/// - TLS trusts only the kubeconfig's CA when it has one (the system roots otherwise) and presents the
///   kubeconfig's client certificate when it has one; a kubeconfig token is sent as a bearer token.
/// - It holds a connection pool: `shutdown()` must be called once it is no longer used (AsyncHTTPClient
///   traps in debug builds when a client is released without it). Up to `Options.maxConnections` requests
///   are in flight (HTTP/1.1); further requests wait for a free connection. A watch holds its connection
///   for as long as it is open.
public final class HTTPSTransport: KubernetesTransport {
    public let config: KubeConfig
    public let options: KubernetesClient.Options
    let http: HTTPClient

    public init(config: KubeConfig, options: KubernetesClient.Options = .init()) throws {
        self.config = config
        self.options = options
        var tls = TLSConfiguration.makeClientConfiguration()
        if config.insecureSkipTLSVerify {
            tls.certificateVerification = .none
        } else if let ca = config.certificateAuthorityPEM {
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

    public func shutdown() async throws {
        try await http.shutdown()
    }

    public func send(method: String, path: String, body: Data?, contentType: String?, accept: String?,
                     timeout: Duration) async throws -> KubernetesClient.RawResponse {
        let response = try await execute(method: method, path: path, body: body, contentType: contentType, accept: accept,
                                         deadline: .now() + Self.timeAmount(timeout))
        let buffer = try await response.body.collect(upTo: options.maxResponseBytes)
        return KubernetesClient.RawResponse(status: Int(response.status.code),
                                            contentType: response.headers.first(name: "content-type"),
                                            body: Self.data(buffer))
    }

    public func stream(path: String, accept: String?, timeout: Duration) async throws -> KubernetesClient.StreamedResponse {
        let response = try await execute(method: "GET", path: path, body: nil, contentType: nil, accept: accept,
                                         deadline: .now() + Self.timeAmount(timeout))
        let status = Int(response.status.code)
        let body = response.body
        let (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        let pump = Task {
            do {
                for try await chunk in body { continuation.yield(Self.data(chunk)) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in pump.cancel() }
        return KubernetesClient.StreamedResponse(status: status, body: stream)
    }

    /// Sends a request and returns once the response head is in; the body is left to stream.
    private func execute(method: String, path: String, body: Data?, contentType: String?, accept: String?,
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
}
