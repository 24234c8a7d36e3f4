import APIModel
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// Where and how the node's streaming server listens, and the certificates it uses.
public struct NodeStreamingConfiguration: Sendable {
    /// The kubelet's default port.
    public static let defaultPort = 10250

    public var bindAddress: String
    /// 0 picks a free port (see `onListening`).
    public var port: Int
    /// The node's serving certificate and key (PEM), signed by the cluster CA.
    public var servingCertificatePEM: String
    public var servingKeyPEM: String
    /// The cluster CA (PEM): clients must present a certificate it signed.
    public var caCertificatePEM: String
    /// How often a followed log is polled for more output.
    public var followPollInterval: Duration = .milliseconds(200)

    public init(bindAddress: String = "0.0.0.0", port: Int = defaultPort, servingCertificatePEM: String,
                servingKeyPEM: String, caCertificatePEM: String) {
        self.bindAddress = bindAddress
        self.port = port
        self.servingCertificatePEM = servingCertificatePEM
        self.servingKeyPEM = servingKeyPEM
        self.caCertificatePEM = caCertificatePEM
    }
}

/// The node's streaming endpoint, as the kubelet's server on port 10250: `GET /containerLogs/…`,
/// `GET /exec/…` (WebSocket, `v5.channel.k8s.io` or `v4.channel.k8s.io`; or a SPDY byte stream in WebSocket
/// messages, `SPDY/3.1+v4.channel.k8s.io`) and `GET /portForward/…` (`SPDY/3.1+portforward.k8s.io`, or the
/// channel protocol with `?port=`) over HTTPS. Only clients with a
/// certificate signed by the cluster CA are served (the API server's `skiff:apiserver-kubelet-client`, or
/// an administrator's); any such client is allowed everything. A `Service`: it runs until cancelled or
/// shut down gracefully.
public final class NodeStreamingServer: ServiceLifecycle.Service, Sendable {
    private let configuration: NodeStreamingConfiguration
    private let backend: any PodStreamBackend
    private let logger: Logger
    private let onListening: @Sendable (Int) async -> Void

    public init(configuration: NodeStreamingConfiguration, backend: any PodStreamBackend,
                logger: Logger = Logger(label: "skiff.node.streaming"),
                onListening: @escaping @Sendable (Int) async -> Void = { _ in }) {
        self.configuration = configuration
        self.backend = backend
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let responder = StreamingResponder(logs: ContainerLogResponse(backend: backend,
                                                                      followPollInterval: configuration.followPollInterval))
        let upgrade = StreamingUpgrade(backend: backend)
        let wsConfiguration = WebSocketServerConfiguration(maxFrameSize: ExecChannels.maxMessageSize)
        let server = try HTTPServerBuilder.tls(
            .http1WebSocketUpgrade(configuration: .init(ws: wsConfiguration)) { request, _, _ in
                await upgrade.shouldUpgrade(request)
            },
            tlsConfiguration: try tlsConfiguration())
        let onListening = self.onListening
        let app = Application(
            responder: responder,
            server: server,
            configuration: ApplicationConfiguration(address: .hostname(configuration.bindAddress, port: configuration.port),
                                                    serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        try await app.run()
    }

    /// TLS requiring a client certificate signed by the cluster CA.
    private func tlsConfiguration() throws -> TLSConfiguration {
        let certificate = try NIOSSLCertificate(bytes: Array(configuration.servingCertificatePEM.utf8), format: .pem)
        let key = try NIOSSLPrivateKey(bytes: Array(configuration.servingKeyPEM.utf8), format: .pem)
        let ca = try NIOSSLCertificate(bytes: Array(configuration.caCertificatePEM.utf8), format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: [.certificate(certificate)],
                                                           privateKey: .privateKey(key))
        tls.certificateVerification = .noHostnameVerification
        tls.trustRoots = .certificates([ca])
        tls.applicationProtocols = ["http/1.1"]
        return tls
    }
}

/// The plain HTTP answers: logs, and the error for an exec or port-forward request that is not a
/// WebSocket upgrade.
struct StreamingResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let logs: ContainerLogResponse

    func respond(to request: Request, context: Context) async throws -> Response {
        do throws(PodStreamError) {
            guard request.method == .get, let path = StreamingPath(request.uri.path) else {
                throw .notFound("404 page not found")
            }
            switch path.endpoint {
            case .containerLogs:
                return try await logs.respond(path, query: QueryParameters(query: request.uri.query ?? ""))
            case .exec:
                throw .badRequest("exec needs a WebSocket upgrade with one of the protocols "
                                  + RemoteCommandProtocol.allCases.map(\.rawValue).joined(separator: ", "))
            case .portForward:
                throw .badRequest("portForward needs a WebSocket upgrade with one of the protocols "
                                  + PortForwardProtocol.allCases.map(\.rawValue).joined(separator: ", "))
            }
        } catch {
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=utf-8"
            return Response(status: .init(code: error.code), headers: headers,
                            body: ResponseBody(byteBuffer: ByteBuffer(string: error.message + "\n")))
        }
    }
}

