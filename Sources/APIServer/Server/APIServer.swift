import APIClient
import APIModel
import Foundation
import Synchronization
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOSSL
import PKI
import ServiceLifecycle
import Storage

/// Where and how the API server listens.
public struct APIServerConfiguration: Sendable {
    public var bindAddress: String
    /// 0 picks a free port (see `onListening`).
    public var port: Int
    /// The cluster's certificates. Nil serves no HTTPS at all: only in-process clients reach the API (tests of
    /// components, and simulations that need no listener).
    public var pki: ClusterPKI?
    /// Bearer tokens accepted besides client certificates.
    public var tokens: [String: UserInfo]
    /// The cluster token agents join with (`NodeJoinEndpoints`); nil serves no join endpoints.
    public var joinToken: String?
    /// How often store history is compacted (each round up to the revision of the previous round).
    public var compactionInterval: Duration = .seconds(300)
    /// How long an Event lives after its last write (kube-apiserver's `--event-ttl`).
    public var eventTTL: Duration = .seconds(3600)
    /// The address the `kubernetes` Service's endpoints advertise (nil: the bind address, or 127.0.0.1 when
    /// binding every address).
    public var advertiseAddress: String?
    /// The service CIDR and NodePort range Services draw from.
    public var serviceRanges: ServiceRanges = .default
    /// How often Service allocations are checked against the stored Services.
    public var serviceAllocationRepairInterval: Duration = .seconds(60)
    /// Where a node's streaming server listens, for `pods/log` and `pods/exec` (by default its InternalIP and
    /// kubelet port; tests point nodes at a server on loopback).
    public var locateNode: @Sendable (Node) -> NodeEndpoint? = NodeEndpoint.fromStatus

    public init(bindAddress: String = "127.0.0.1", port: Int = 6443, pki: ClusterPKI?, tokens: [String: UserInfo] = [:]) {
        self.bindAddress = bindAddress
        self.port = port
        self.pki = pki
        self.tokens = tokens
    }
}

/// The Kubernetes API over HTTPS, backed by a `KeyValueStore`, as one `Service`: the watch cache, the
/// namespace cleaner and the HTTPS listener run as its child tasks and stop together.
public final class APIServer: ServiceLifecycle.Service, Sendable {
    public let store: any KeyValueStore
    public let cache: WatchCache
    public let registry: ResourceRegistry
    private let configuration: APIServerConfiguration
    private let logger: Logger
    private let onListening: @Sendable (Int) async -> Void
    private let responder: APIResponder
    /// The port the listener bound, once it listens (set when the listener is made).
    private let listeningPorts = Mutex<AsyncStream<Int>?>(nil)

    /// Latencies of every store call the server makes (served on `/metrics`).
    public let storeLatencies = StoreLatencies()

    public init(store unmeasured: any KeyValueStore, configuration: APIServerConfiguration,
                logger: Logger = Logger(label: "skiff.apiserver"),
                onListening: @escaping @Sendable (Int) async -> Void = { _ in }) {
        let store = MeasuredStore(unmeasured, latencies: storeLatencies)
        self.store = store
        self.registry = .builtin
        self.cache = WatchCache(store: store, resources: registry.resources)
        self.configuration = configuration
        self.logger = logger
        self.onListening = onListening
        let pki = configuration.pki
        let address = "\(configuration.bindAddress == "0.0.0.0" ? "127.0.0.1" : configuration.bindAddress):\(configuration.port)"
        let cache = self.cache
        var connection: NodeConnection?
        if let pki {
            do {
                connection = NodeConnection(tls: try NodeConnection.tls(for: pki), locate: configuration.locateNode)
            } catch {
                logger.error("no client certificate for nodes, pods/log and pods/exec unavailable: \(error)")
            }
        }
        let handler = ResourceHandler(store: store, cache: cache, logger: logger, serviceRanges: configuration.serviceRanges)
        self.responder = APIResponder(
            registry: registry,
            handler: handler,
            authenticator: Authenticator(pki: pki, tokens: configuration.tokens),
            discovery: DiscoveryDocuments(registry: registry, serverAddress: address),
            openAPI: OpenAPIDocuments(registry: registry),
            readiness: { cache.isReady },
            streams: PodStreams(connection: connection, handler: handler, registry: registry, logger: logger),
            join: NodeJoinEndpoints(pki: pki, token: configuration.joinToken),
            storeLatencies: storeLatencies,
            logger: logger)
    }

    /// A client of this server's API for a component running in the same process, acting as `user` and
    /// writing as field manager `component` (see `InProcessTransport`). Usable once `run()` has started;
    /// requests before the cache is loaded wait.
    public func inProcessClient(as user: UserInfo, component: String) -> KubernetesClient {
        KubernetesClient(transport: InProcessTransport(responder: responder, user: user, userAgent: component))
    }

    public func run() async throws {
        try await DefaultNamespaces.ensure(in: store, registry: registry)
        // Without certificates there is no listener: the children run until graceful shutdown or cancellation.
        let listener: @Sendable () async throws -> Void
        if let pki = configuration.pki {
            let app = try makeApplication(pki)
            listener = { try await app.run() }
        } else {
            listener = { try? await gracefulShutdown() }
        }
        // Open watches would hold the listener's graceful shutdown for their whole timeout: end them first.
        try await withGracefulShutdownHandler {
            try await runChildren(listener)
        } onGracefulShutdown: { [cache] in
            cache.closeAllWatchers()
        }
    }

    /// How many cache watches the server's own loops hold once running: the namespace cleaner's, the
    /// garbage collector's and the Service allocation repair's. (Tests that count watchers wait for these first.)
    public static let backgroundWatchCount = 3

    private func runChildren(_ listener: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.cache.run() }
            group.addTask {
                await NamespaceCleaner(store: self.store, cache: self.cache, registry: self.registry, logger: self.logger).run()
            }
            group.addTask {
                await GarbageCollector(store: self.store, cache: self.cache, registry: self.registry, logger: self.logger).run()
            }
            group.addTask {
                await EventExpiry(store: self.store, cache: self.cache, ttl: self.configuration.eventTTL,
                                  interval: .seconds(60), logger: self.logger).run()
            }
            group.addTask {
                await Compactor(store: self.store, cache: self.cache, interval: self.configuration.compactionInterval,
                                logger: self.logger).run()
            }
            group.addTask {
                await ServiceAllocationRepair(store: self.store, cache: self.cache,
                                              allocator: ServiceAllocator(store: self.store, ranges: self.configuration.serviceRanges),
                                              interval: self.configuration.serviceAllocationRepairInterval,
                                              logger: self.logger).run()
            }
            group.addTask { await self.reconcileKubernetesService() }
            group.addTask { try await listener() }
            // The listener ends on graceful shutdown (or cancellation); then stop the rest.
            try await group.next()
            group.cancelAll()
        }
    }

    private func makeApplication(_ pki: ClusterPKI) throws -> some ApplicationProtocol {
        let onListening = self.onListening
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        self.listeningPorts.withLock { $0 = ports }
        return Application(
            responder: responder,
            server: try httpsServer(tlsConfiguration(pki)),
            configuration: ApplicationConfiguration(address: .hostname(configuration.bindAddress, port: configuration.port),
                                                    serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                portContinuation.yield(port)
                portContinuation.finish()
                await onListening(port)
            },
            logger: logger)
    }

    /// Keeps the `kubernetes` Service pointing at this server once it listens; returns only when cancelled
    /// (a child that returned would stop the server).
    private func reconcileKubernetesService() async {
        var iterator = listeningPorts.withLock({ $0 })?.makeAsyncIterator()
        guard let port = await iterator?.next() else {
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            return
        }
        let bind = configuration.bindAddress
        let address = configuration.advertiseAddress ?? ((bind == "0.0.0.0" || bind == "::") ? "127.0.0.1" : bind)
        let client = inProcessClient(as: UserInfo(name: "system:apiserver", groups: ["system:masters"]),
                                     component: "kube-apiserver")
        let presence = APIServerPresence(store: store, address: address, port: port, ttl: .seconds(45))
        await KubernetesServiceReconciler(client: client, ranges: configuration.serviceRanges, presence: presence,
                                          interval: .seconds(15), logger: logger).run()
    }

    /// HTTP/1.1 over TLS, closing connections whose client has gone; WebSocket and SPDY upgrades for
    /// `pods/exec` and `pods/portforward`.
    private func httpsServer(_ tls: TLSConfiguration) throws -> HTTPServerBuilder {
        let apiResponder = responder
        return HTTPServerBuilder { responder in
            try PeerClosingTLSChannel(
                base: StreamingUpgradeChannel(
                    responder: responder, webSocket: WebSocketServerConfiguration(maxFrameSize: NodeRelay.maxMessageSize),
                    shouldUpgradeWebSocket: { await apiResponder.upgradeDecision($0, channel: $1) },
                    shouldUpgradeSPDY: { await apiResponder.spdyUpgradeDecision($0, channel: $1) },
                    answerRefused: { await apiResponder.refusedUpgrade($0, channel: $1) }),
                tlsConfiguration: tls)
        }
    }

    private func tlsConfiguration(_ pki: ClusterPKI) throws -> TLSConfiguration {
        let certificate = try NIOSSLCertificate(bytes: Array(pki.servingCertificatePEM.utf8), format: .pem)
        let key = try NIOSSLPrivateKey(bytes: Array(pki.servingKeyPEM.utf8), format: .pem)
        let ca = try NIOSSLCertificate(bytes: Array(pki.caCertificatePEM.utf8), format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key))
        tls.certificateVerification = .optionalVerification
        tls.trustRoots = .certificates([ca])
        tls.applicationProtocols = ["http/1.1"]
        return tls
    }
}
