import APIClient
import APIModel
import ControllerRuntime
import Logging
import Synchronization

/// The cluster DNS of a node: Services and EndpointSlices watched through the API, a `ClusterDNSRecords`
/// snapshot rebuilt when they change (answers read the latest snapshot, never wait for a rebuild), and a
/// `DNSServer` on the cluster DNS address (10.43.0.10:53 on a node; tests use loopback).
public final class ClusterDNSService: Sendable {
    let watch: ServiceEndpointsWatch
    let server: DNSServer
    let zone: String
    private let snapshot: Snapshot
    private let logger: Logger

    /// `upstream`: where names outside `zone` are forwarded; nil refuses them (nothing leaves the node).
    public init(client: KubernetesClient, host: String, port: Int = 53, zone: String = "cluster.local",
                upstream: DNSUpstream? = nil, logger: Logger = Logger(label: "skiff.dns")) {
        self.watch = ServiceEndpointsWatch(client: client, logger: logger)
        self.zone = zone
        let snapshot = Snapshot(ClusterDNSRecords(zone: zone, services: [], slices: []))
        self.snapshot = snapshot
        self.server = DNSServer(host: host, port: port, upstream: upstream, logger: logger) { query in
            snapshot.current.answer(query)
        }
        self.logger = logger
    }

    /// The records answering now.
    public var records: ClusterDNSRecords { snapshot.current }

    /// Serves until cancelled; `bound` is told the ports once listening.
    public func run(bound: @escaping @Sendable (_ udp: Int, _ tcp: Int) -> Void = { _, _ in }) async throws {
        let (zone, snapshot) = (self.zone, self.snapshot)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await self.watch.run { services, slices in
                    snapshot.replace(with: ClusterDNSRecords(zone: zone, services: services, slices: slices))
                }
            }
            group.addTask { try await self.server.run(bound: bound) }
            try await group.next()
            group.cancelAll()
        }
    }

    /// The records in force, swapped whole on every rebuild.
    private final class Snapshot: Sendable {
        private let state: Mutex<ClusterDNSRecords>
        init(_ records: ClusterDNSRecords) { state = Mutex(records) }
        var current: ClusterDNSRecords { state.withLock { $0 } }
        func replace(with records: ClusterDNSRecords) { state.withLock { $0 = records } }
    }
}
