import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Storage

/// One gRPC client (an HTTP/2 connection) per etcd endpoint, and which endpoint calls go to first.
///
/// Calls go to the preferred endpoint; when it is unreachable they move on to the next, in the order the
/// endpoints were given, and the one that answered becomes preferred. When no endpoint could take a call,
/// it is tried again with a growing pause until `retryTimeout` has passed. Only calls that can safely be
/// repeated are (see `EtcdRPCFailure.isRetryable`).
final class EtcdConnections: Sendable {
    typealias Client = GRPCClient<HTTP2ClientTransport.Posix>

    let endpoints: [EtcdEndpoint]
    private let clients: [Client]
    private let preferred = Locked(0)
    private let retryTimeout: Duration
    /// The tasks running each client's connections; they end after `close()` once in-flight calls finished.
    private let connectionTasks: [Task<Void, Never>]

    /// Call options of every call: etcd's own limits apply (1.5 MiB requests by default); responses (whole
    /// lists) may be much larger than grpc-swift's 4 MiB default.
    static let callOptions: CallOptions = {
        var options = CallOptions.defaults
        options.maxRequestMessageBytes = Int(Int32.max)
        options.maxResponseMessageBytes = Int(Int32.max)
        return options
    }()

    init(endpoints: [EtcdEndpoint], retryTimeout: Duration) throws {
        precondition(!endpoints.isEmpty, "an etcd store needs at least one endpoint")
        self.endpoints = endpoints
        self.retryTimeout = retryTimeout
        let config = HTTP2ClientTransport.Posix.Config.defaults { config in
            // Reconnect quickly after an etcd restart; the default starts at 1 s and grows to 2 min.
            config.backoff = .init(initial: .milliseconds(100), max: .seconds(2), multiplier: 1.6, jitter: 0.2)
            // Notice a connection that died silently (no FIN) while a watch waits on it. etcd refuses pings
            // more often than every 5 s (--grpc-keepalive-min-time).
            config.connection.keepalive = .init(time: .seconds(30), timeout: .seconds(10), allowWithoutCalls: false)
            // etcd's per-request PINGs would otherwise get the connection closed every ~200 requests.
            config.channelDebuggingCallbacks.onCreateTCPConnection = { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(HTTP2PingResponder(), position: .first)
                }
            }
        }
        clients = try endpoints.map { endpoint in
            GRPCClient(transport: try HTTP2ClientTransport.Posix(
                target: .dns(host: endpoint.host, port: endpoint.port), transportSecurity: .plaintext, config: config))
        }
        connectionTasks = clients.map { client in
            Task { try? await client.runConnections() }
        }
    }

    /// Stops accepting calls; calls in flight finish (watches are cancelled by their owners).
    func close() {
        for client in clients { client.beginGracefulShutdown() }
    }

    /// The index of the endpoint to use first.
    var preferredIndex: Int {
        preferred.withLock { $0 }
    }

    /// The client of the endpoint at `index` (modulo the endpoint count).
    func client(at index: Int) -> Client {
        clients[index % clients.count]
    }

    /// Makes the endpoint after `index` preferred, unless another call already moved on.
    func endpointFailed(_ index: Int) {
        preferred.withLock { preferred in
            if preferred == index % clients.count { preferred = (index + 1) % clients.count }
        }
    }

    /// Runs `body` against the preferred endpoint, moving on to the others when it is unreachable and, when
    /// none is, trying again for up to `retryTimeout`. `idempotent` calls (reads) are repeated after any
    /// `UNAVAILABLE`; others only when they were never sent. Throws the last error.
    func call<Result: Sendable>(
        idempotent: Bool, _ body: (Client) async throws -> Result
    ) async throws -> Result {
        let deadline = ContinuousClock.now + retryTimeout
        var pause = Duration.milliseconds(50)
        while true {
            let first = preferredIndex
            var lastError: any Error = StoreError.unavailable("no etcd endpoint")
            for offset in 0..<clients.count {
                let index = (first + offset) % clients.count
                do {
                    let result = try await body(clients[index])
                    if offset > 0 { preferred.withLock { $0 = index } }
                    return result
                } catch where EtcdRPCFailure.isRetryable(error, idempotent: idempotent) {
                    lastError = error
                }
            }
            guard ContinuousClock.now + pause < deadline else { throw lastError }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(1))
        }
    }
}
