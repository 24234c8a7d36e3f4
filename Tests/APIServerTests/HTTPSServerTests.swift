import APIModel
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PKI
import Storage
import Testing
import TestSupport
@testable import APIServer

/// The real listener: `APIServer` on a free port over TLS, driven by AsyncHTTPClient. What only a socket
/// shows: TLS, client certificates, bearer tokens in headers, the body limit on a real connection, and a
/// watch ending when its client disconnects.
@Suite("HTTPS server", .serialized)
struct HTTPSServerTests {
    static let token = "live-test-token"

    /// A running server and a client that trusts its CA.
    struct Running {
        let server: APIServer
        let baseURL: String
        let pki: ClusterPKI
        let client: HTTPClient

        func request(_ method: String, _ path: String, body: Data? = nil, token: String? = HTTPSServerTests.token,
                     contentType: String? = "application/json", client: HTTPClient? = nil) async throws -> (Int, [String: [String]], Data) {
            var request = HTTPClientRequest(url: baseURL + path)
            request.method = .init(rawValue: method)
            if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            if let contentType, body != nil { request.headers.add(name: "Content-Type", value: contentType) }
            if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
            let response = try await (client ?? self.client).execute(request, timeout: .seconds(30))
            let data = try await response.body.collect(upTo: 16 * 1024 * 1024)
            var headers: [String: [String]] = [:]
            for header in response.headers { headers[header.name.lowercased(), default: []].append(header.value) }
            return (Int(response.status.code), headers, Data(buffer: data))
        }
    }

    static func withServer(_ body: (Running) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-apiserver-tests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let pki = try ClusterPKI.loadOrCreate(directory: directory, hostname: "localhost")
        var logger = Logger(label: "skiff.tests.https")
        logger.logLevel = .warning
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        var configuration = APIServerConfiguration(bindAddress: "127.0.0.1", port: 0, pki: pki,
                                                   tokens: [token: UserInfo(name: "tester", groups: ["system:masters"])])
        configuration.joinToken = token
        let server = APIServer(
            store: InMemoryStore(),
            configuration: configuration,
            logger: logger,
            onListening: { port in portSink.yield(port) })
        let running = Task { try await server.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())

        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(pki.caCertificatePEM.utf8), format: .pem)])
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        let result: Result<Void, any Error>
        do {
            // Ready, with the background loops' watches in place (tests count watchers; one opened late would
            // count as a client's).
            try await server.cache.waitUntilFresh()
            try await eventually("the background loops' watches") {
                server.cache.watcherCount >= APIServer.backgroundWatchCount
            }
            try await body(Running(server: server, baseURL: "https://127.0.0.1:\(port)", pki: pki, client: client))
            result = .success(())
        } catch {
            result = .failure(error)
        }
        try await client.shutdown()
        running.cancel()
        _ = await running.result
        try result.get()
    }

    @Test("Anonymous /version and /readyz; 401 without a token; 200 with a bearer token or the admin certificate")
    func authentication() async throws {
        try await Self.withServer { server in
            let (versionStatus, _, version) = try await server.request("GET", "/version", token: nil)
            #expect(versionStatus == 200)
            #expect(String(decoding: version, as: UTF8.self).contains(#""gitVersion":"v1.32"#))
            try await eventually("the server is ready") {
                try await server.request("GET", "/readyz", token: nil).0 == 200
            }

            let (anonymous, headers, body) = try await server.request("GET", "/api/v1/namespaces", token: nil)
            #expect(anonymous == 401)
            #expect(headers["content-type"] == ["application/json"])
            #expect(String(decoding: body, as: UTF8.self).contains(#""reason":"Unauthorized""#))
            #expect(try await server.request("GET", "/api/v1/namespaces", token: "wrong").0 == 401)

            let (ok, _, list) = try await server.request("GET", "/api/v1/namespaces")
            #expect(ok == 200)
            let names = try JSONValue(parsing: list).itemNames
            #expect(names == ["default", "kube-node-lease", "kube-public", "kube-system"])

            // The admin client certificate, without a token.
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(server.pki.caCertificatePEM.utf8), format: .pem)])
            tls.certificateChain = [.certificate(try NIOSSLCertificate(bytes: Array(server.pki.adminCertificatePEM.utf8), format: .pem))]
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(server.pki.adminKeyPEM.utf8), format: .pem))
            let certificateClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
            let byCertificate = try await server.request("GET", "/api/v1/namespaces", token: nil, client: certificateClient)
            try await certificateClient.shutdown()
            #expect(byCertificate.0 == 200)
        }
    }

    @Test("/metrics needs credentials and shows the watchers and the store's latencies")
    func metrics() async throws {
        try await Self.withServer { server in
            #expect(try await server.request("GET", "/metrics", token: nil).0 == 401)
            _ = try await server.request("GET", "/api/v1/namespaces/default/configmaps/absent")
            let (status, _, body) = try await server.request("GET", "/metrics")
            #expect(status == 200)
            let text = String(decoding: body, as: UTF8.self)
            #expect(text.contains("skiff_watchers "))
            #expect(text.contains(#"skiff_store_request_duration_seconds_count{operation="create",outcome="ok"}"#), "\(text)")
        }
    }

    @Test("Create and read back over HTTPS; a body over 3 MiB is 413")
    func writes() async throws {
        try await Self.withServer { server in
            let configMaps = "/api/v1/namespaces/default/configmaps"
            let (created, _, _) = try await server.request("POST", configMaps, body: Data(TestAPI.configMap("cm").utf8))
            #expect(created == 201)
            let (read, _, body) = try await server.request("GET", configMaps + "/cm")
            #expect(read == 200)
            #expect(try JSONValue(parsing: body).objectName == "cm")

            let big = Data(TestAPI.configMap("big", data: ["blob": String(repeating: "x", count: 3 * 1024 * 1024)]).utf8)
            let (status, _, answer) = try await server.request("POST", configMaps, body: big)
            #expect(status == 413)
            #expect(try JSONValue(parsing: answer)["reason"] == .string("RequestEntityTooLarge"))
            #expect(try await server.request("GET", configMaps + "/big").0 == 404)
        }
    }

    @Test("A watch streams events, and ends on the server when its client disconnects",
          arguments: [Disconnect.abrupt, .cleanTLSClose])
    func watchOverHTTPS(disconnect: Disconnect) async throws {
        try await Self.withServer { server in
            let configMaps = "/api/v1/namespaces/default/configmaps"
            #expect(try await server.request("POST", configMaps, body: Data(TestAPI.configMap("first").utf8)).0 == 201)
            let watchersBefore = server.server.cache.watcherCount

            // A bare TLS connection, so that closing it is exactly a client going away.
            let port = try #require(Int(server.baseURL.split(separator: ":").last ?? ""))
            let connection = try await RawTLSConnection.open(port: port, caPEM: server.pki.caCertificatePEM,
                                                             shutdownTimeout: .milliseconds(200))
            try await connection.send("GET \(configMaps)?watch=true HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                      + "Authorization: Bearer \(Self.token)\r\nAccept: application/json\r\n\r\n")
            try await connection.waitFor(#""type":"ADDED","object":{"#, count: 1)
            #expect(connection.text.hasPrefix("HTTP/1.1 200"))
            #expect(server.server.cache.watcherCount == watchersBefore + 1)
            #expect(try await server.request("POST", configMaps, body: Data(TestAPI.configMap("second").utf8)).0 == 201)
            try await connection.waitFor(#""type":"ADDED","object":{"#, count: 2)
            #expect(connection.text.contains(#""name":"second""#))

            switch disconnect {
            case .abrupt:
                // FIN without close_notify, as from a killed client.
                try await connection.abort()
                try await eventually("the server to drop the watcher") {
                    server.server.cache.watcherCount == watchersBefore
                }
            case .cleanTLSClose:
                // close_notify, then FIN 200 ms later.
                await connection.close()
                try await eventually("the server to drop the watcher", timeout: .seconds(3)) {
                    server.server.cache.watcherCount == watchersBefore
                }
            }
        }
    }
}

/// How a test client leaves.
enum Disconnect: Sendable, CustomTestStringConvertible {
    case abrupt
    case cleanTLSClose

    var testDescription: String { self == .abrupt ? "FIN only" : "close_notify, FIN 200 ms later" }
}

/// A TLS connection that sends raw bytes and collects what comes back.
final class RawTLSConnection: Sendable {
    private let channel: any Channel
    private let received: Locked<Data>
    private let inbox: Inbox<Void>

    private init(channel: any Channel, received: Locked<Data>, inbox: Inbox<Void>) {
        self.channel = channel
        self.received = received
        self.inbox = inbox
    }

    /// - Parameter shutdownTimeout: how long `close()` waits for the server's close_notify before it closes TCP.
    static func open(port: Int, caPEM: String, shutdownTimeout: TimeAmount) async throws -> RawTLSConnection {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(caPEM.utf8), format: .pem)])
        tls.shutdownTimeout = shutdownTimeout
        let context = try NIOSSLContext(configuration: tls)
        let received = Locked(Data())
        let inbox = Inbox<Void>()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: "localhost"))
                    try channel.pipeline.syncOperations.addHandler(Collector(received: received, inbox: inbox))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawTLSConnection(channel: channel, received: received, inbox: inbox)
    }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text)).get()
    }

    var text: String { String(decoding: received.withLock { $0 }, as: UTF8.self) }

    /// Waits until `marker` was received `count` times.
    func waitFor(_ marker: String, count: Int, timeout: Duration = .seconds(10)) async throws {
        while text.components(separatedBy: marker).count - 1 < count {
            guard try await inbox.next(timeout: timeout) != nil else { throw InboxTimeout(timeout: timeout) }
        }
    }

    /// Closes with a TLS close_notify first.
    func close() async {
        try? await channel.close().get()
    }

    /// Closes the TCP connection under TLS, sending no close_notify.
    func abort() async throws {
        let channel = self.channel
        try await channel.eventLoop.flatSubmit {
            do {
                return try channel.pipeline.syncOperations.context(handlerType: NIOSSLClientHandler.self).close()
            } catch {
                return channel.eventLoop.makeFailedFuture(error)
            }
        }.get()
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let received: Locked<Data>
        let inbox: Inbox<Void>

        init(received: Locked<Data>, inbox: Inbox<Void>) {
            self.received = received
            self.inbox = inbox
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            received.withLock { $0.append(contentsOf: buffer.readableBytesView) }
            inbox.push(())
        }

        func channelInactive(context: ChannelHandlerContext) {
            inbox.finish()
        }
    }
}
