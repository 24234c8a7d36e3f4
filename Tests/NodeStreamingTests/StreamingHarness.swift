import APIClient
import APIModel
import APIServer
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import NodeStreaming
import PKI
import Storage
import Synchronization
import Testing
import TestSupport
import WSClient

/// An API server over HTTPS and a node streaming server with a `FakePodBackend`, both on 127.0.0.1; node
/// `node-1` points at the streaming server (InternalIP and kubelet port), and these pods exist in
/// `default`: `web` (container `main`, on node-1, Running), `duo` (`a`, `b`, Running), `slow` (`waiting`)
/// and `pending` (not bound).
struct StreamingHarness {
    static let token = "streams-test-token"

    let apiURL: String
    let caCertificatePEM: String
    let backend: FakePodBackend
    let client: HTTPClient
    let tls: TLSConfiguration

    static func with(_ body: (StreamingHarness) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-streams-pki-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let pki = try ClusterPKI.loadOrCreate(directory: directory, hostname: "localhost")
        let nodeCertificate = try pki.issueNodeServingCertificate(hostname: "node-1", addresses: ["127.0.0.1"])
        var logger = Logger(label: "skiff.tests.streams")
        logger.logLevel = .warning
        let backend = try FakePodBackend()

        let (nodePorts, nodePortSink) = AsyncStream<Int>.makeStream()
        var nodeConfiguration = NodeStreamingConfiguration(
            bindAddress: "127.0.0.1", port: 0, servingCertificatePEM: nodeCertificate.certificatePEM,
            servingKeyPEM: nodeCertificate.keyPEM, caCertificatePEM: pki.caCertificatePEM)
        nodeConfiguration.followPollInterval = .milliseconds(50)
        let node = NodeStreamingServer(configuration: nodeConfiguration, backend: backend, logger: logger,
                                       onListening: { nodePortSink.yield($0) })
        let (apiPorts, apiPortSink) = AsyncStream<Int>.makeStream()
        let server = APIServer(
            store: InMemoryStore(),
            configuration: APIServerConfiguration(bindAddress: "127.0.0.1", port: 0, pki: pki,
                                                  tokens: [token: UserInfo(name: "tester", groups: ["system:masters"])]),
            logger: logger, onListening: { apiPortSink.yield($0) })
        let running = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await node.run() }
                group.addTask { try await server.run() }
                try await group.waitForAll()
            }
        }
        var nodePortIterator = nodePorts.makeAsyncIterator()
        var apiPortIterator = apiPorts.makeAsyncIterator()
        let nodePort = try #require(await nodePortIterator.next())
        let apiPort = try #require(await apiPortIterator.next())

        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(pki.caCertificatePEM.utf8), format: .pem)])
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        let result: Result<Void, any Error>
        do {
            try await server.cache.waitUntilFresh()
            try await createObjects(server.inProcessClient(as: UserInfo(name: "tester", groups: ["system:masters"]),
                                                           component: "streams-test"), kubeletPort: nodePort)
            try await body(StreamingHarness(apiURL: "https://127.0.0.1:\(apiPort)", caCertificatePEM: pki.caCertificatePEM,
                                            backend: backend, client: client, tls: tls))
            result = .success(())
        } catch {
            result = .failure(error)
        }
        try await client.shutdown()
        running.cancel()
        _ = await running.result
        try result.get()
    }

    private static func createObjects(_ api: KubernetesClient, kubeletPort: Int) async throws {
        let status = NodeStatus(addresses: [NodeAddress(address: "127.0.0.1", type: "InternalIP")],
                                daemonEndpoints: NodeDaemonEndpoints(kubeletEndpoint: DaemonEndpoint(Port: Int32(kubeletPort))))
        _ = try await api.create(Node(metadata: ObjectMeta(name: "node-1"), status: status))
        func pod(_ name: String, _ containers: [String], node: String? = "node-1") -> Pod {
            Pod(metadata: ObjectMeta(name: name, namespace: "default"),
                spec: PodSpec(containers: containers.map { Container(image: "busybox", name: $0) }, nodeName: node))
        }
        for object in [pod("web", ["main"]), pod("duo", ["a", "b"]), pod("slow", ["waiting"]), pod("pending", ["main"], node: nil)] {
            _ = try await api.create(object, namespace: "default")
        }
        for name in ["web", "duo"] {
            _ = try await api.request(method: "PATCH", path: "/api/v1/namespaces/default/pods/\(name)/status",
                                      body: Data(#"{"status":{"phase":"Running"}}"#.utf8),
                                      contentType: "application/merge-patch+json")
        }
    }

    // MARK: Requests

    /// A GET of the API with the test token: status code and body.
    func get(_ path: String) async throws -> (Int, String) {
        let response = try await client.execute(request(path), timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    /// An upgrade request (`GET` with `Upgrade: websocket` offering `protocols`, or `POST` with `Upgrade:
    /// SPDY/3.1` offering them as `X-Stream-Protocol-Version`) that the server is expected to refuse: the
    /// status and body of its answer. Sent raw through python3's TLS (HTTP clients drop upgrade headers).
    func upgradeAttempt(_ path: String, spdy: Bool = false, protocols: String) async throws -> (code: Int, body: String) {
        let headers = spdy
            ? "POST \(path) HTTP/1.1\r\nContent-Length: 0\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: \(protocols)\r\n"
            : "GET \(path) HTTP/1.1\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: \(protocols)\r\n"
        let request = headers + "Host: localhost\r\nConnection: Upgrade\r\nAuthorization: Bearer \(Self.token)\r\n\r\n"
        let run = try await ExternalCommand.run("/usr/bin/env", ["python3", "-c", """
            import socket, ssl, sys
            host, port = sys.argv[1].rsplit(":", 1)
            raw = socket.create_connection((host.split("//")[1], int(port)), timeout=10)
            tls = ssl._create_unverified_context().wrap_socket(raw, server_hostname="localhost")
            tls.sendall(sys.stdin.buffer.read())
            answer = b""
            while True:
                chunk = tls.recv(65536)
                if not chunk: break
                answer += chunk
            sys.stdout.write(answer.decode(errors="replace"))
            """, apiURL], input: request)
        guard let end = run.stdout.range(of: "\r\n\r\n") else { return (0, run.stdout + run.stderr) }
        let code = run.stdout[..<end.lowerBound].split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return (code, String(run.stdout[end.upperBound...]))
    }

    func request(_ path: String, method: HTTPMethod = .GET) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: apiURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(Self.token)")
        return request
    }

    /// Opens `pods/exec` over WebSocket offering `protocols`, sends `messages` (channel byte first) and
    /// returns every message received until the server closes.
    func exec(_ path: String, protocols: String = "v5.channel.k8s.io", token: String? = token,
              send messages: [[UInt8]] = []) async throws -> [[UInt8]] {
        var configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20)
        if let token { configuration.additionalHeaders[.authorization] = "Bearer \(token)" }
        configuration.additionalHeaders[.secWebSocketProtocol] = protocols
        configuration.sniHostname = "localhost"
        let received = Received()
        var logger = Logger(label: "skiff.tests.ws")
        logger.logLevel = .warning
        try await WebSocketClient.connect(url: apiURL.replacingOccurrences(of: "https://", with: "wss://") + path,
                                          configuration: configuration, tlsConfiguration: tls, logger: logger) { inbound, outbound, _ in
            for message in messages { try await outbound.write(.binary(ByteBuffer(bytes: message))) }
            for try await message in inbound.messages(maxSize: 1 << 20) {
                if case .binary(let buffer) = message { received.messages.withLock { $0.append(Array(buffer.readableBytesView)) } }
            }
        }
        return received.messages.withLock { $0 }
    }

    /// The messages a WebSocket client has received.
    private final class Received: Sendable {
        let messages = Mutex<[[UInt8]]>([])
    }
}

/// The suites that start servers, run one at a time (several harnesses with client processes at once
/// starve the machine's two cores).
@Suite(.serialized) enum StreamingEndToEnd {}
