import APIClient
import ControllerRuntime
import Logging
import NIOCore
import NIOPosix
import PodNetwork

/// The service proxy that needs no netfilter (issue 7, for nodes where nftables is unavailable): Service ports
/// relayed in userspace by sockets of its own (SwiftNIO). TCP ports get a listener on `clusterIP:port`
/// (`TCPServiceListener`), UDP ports a socket with per-client sessions (`UDPServiceListener`); node ports the
/// same on `nodePortAddress:nodePort`. Backends are picked round robin, or sticky per client IP with ClientIP
/// affinity (`BackendSelection`), one choice per Service port whichever of its listeners a client comes through.
///
/// Contract: `apply` makes the listeners exactly those the Services need (`UserspaceListenerPlan`). Listeners
/// whose address stays keep their socket and connections; only their backends change. A listener that cannot
/// be bound (or whose address another Service port holds) is logged and tried again at the next `apply`.
/// The cluster IPs must be addresses of the node for their binds to succeed: `run(client:node:)` keeps them on
/// the node's `lo` (`ClusterIPAddresses`). Calls to `apply` must not overlap (`run` never overlaps them).
/// `stop()` closes every listener, session and connection; the proxy cannot be used after it.
public actor UserspaceProxy {
    private let group: MultiThreadedEventLoopGroup
    private let nodePortAddress: String
    private let udpSessionTimeout: TimeAmount
    private let logger: Logger
    /// A bound listener and the Service port it serves.
    private struct Running {
        var serviceName: String
        let listener: any ServiceListener
    }

    private var listeners: [ListenerAddress: Running] = [:]
    private var stopped = false
    /// The cluster IPs `run` has put on the node's `lo`.
    private var addressesOnNode = ClusterIPAddresses(addresses: [])

    /// - Parameters:
    ///   - nodePortAddress: where node ports listen (`0.0.0.0`: every address of the node).
    ///   - udpSessionTimeout: how long a UDP session lives without a datagram either way.
    ///   - threads: the event loops relaying traffic.
    public init(nodePortAddress: String = "0.0.0.0", udpSessionTimeout: Duration = .seconds(30),
                threads: Int = System.coreCount, logger: Logger = Logger(label: "skiff.proxy")) {
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        self.nodePortAddress = nodePortAddress
        let (seconds, attoseconds) = udpSessionTimeout.components
        self.udpSessionTimeout = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        self.logger = logger
    }

    /// Makes the listeners exactly those `services` need: removed ones closed, new ones bound, kept ones given
    /// their new backends and affinity.
    public func apply(_ services: [ProxiedService]) async {
        guard !stopped else { return }
        let plan = UserspaceListenerPlan(services: services, nodePortAddress: nodePortAddress)
        for conflict in plan.conflicts {
            logger.error("\(conflict.serviceName): \(conflict.address) is already used by \(conflict.heldBy); not proxied")
        }
        let removed = listeners.filter { plan.listeners[$0.key] == nil }
        for address in removed.keys { listeners[address] = nil }
        for (address, running) in removed {
            await running.listener.close()
            logger.debug("closed \(address)")
        }
        // One chooser per Service port, shared by its cluster IP and node port listeners (one affinity table).
        var choosers: [String: BackendChooser] = [:]
        for (address, wanted) in plan.listeners {
            if let running = listeners[address], running.serviceName == wanted.serviceName {
                choosers[wanted.serviceName] = running.listener.chooser
            }
        }
        for (address, wanted) in plan.listeners.sorted(by: { $0.key.description < $1.key.description }) {
            if let running = listeners[address] {
                running.listener.chooser.update(backends: wanted.backends, affinitySeconds: wanted.affinitySeconds)
                listeners[address]?.serviceName = wanted.serviceName
                continue
            }
            let chooser = choosers[wanted.serviceName]
                ?? BackendChooser(backends: wanted.backends, affinitySeconds: wanted.affinitySeconds)
            chooser.update(backends: wanted.backends, affinitySeconds: wanted.affinitySeconds)
            choosers[wanted.serviceName] = chooser
            do {
                let listener = try await bind(address, chooser: chooser)
                guard !stopped, listeners[address] == nil else {
                    await listener.close()
                    continue
                }
                listeners[address] = Running(serviceName: wanted.serviceName, listener: listener)
                logger.debug("\(wanted.serviceName): listening on \(address)")
            } catch {
                logger.error("\(wanted.serviceName): cannot listen on \(address), retrying at the next change: \(error)")
            }
        }
    }

    private func bind(_ address: ListenerAddress, chooser: BackendChooser) async throws -> any ServiceListener {
        switch address.transport {
        case .tcp:
            try await TCPServiceListener.bind(address, chooser: chooser, group: group, logger: logger)
        case .udp:
            try await UDPServiceListener.bind(address, chooser: chooser, sessionTimeout: udpSessionTimeout,
                                              group: group, logger: logger)
        }
    }

    /// Proxies the cluster's Services until cancelled: Services and EndpointSlices watched through the API, the
    /// cluster IPs kept on `node`'s `lo` (less `excludedAddresses`, such as the cluster DNS address, which are
    /// never added or deleted) — new ones added before the listeners are applied, old ones deleted after.
    /// Address changes that fail are logged and tried again at the next change. The listeners stay until
    /// `stop()`, the addresses until `removeAddresses(from:)`.
    public func run(client: KubernetesClient, node: NodeNamespace, excludedAddresses: Set<String> = []) async {
        do { try await node.run(["ip", "link", "set", "dev", "lo", "up"]) } catch {
            logger.warning("cannot bring lo up: \(error)")
        }
        let watch = ServiceEndpointsWatch(client: client, logger: logger)
        await watch.run { services, slices in
            let proxied = ProxiedService.from(services: services, slices: slices)
            let wanted = ClusterIPAddresses(services: proxied, excluded: excludedAddresses)
            await self.changeAddresses(to: wanted, on: node, additionsOnly: true)
            await self.apply(proxied)
            await self.changeAddresses(to: wanted, on: node, additionsOnly: false)
        }
    }

    /// Deletes the cluster IPs `run` put on `node`'s `lo`.
    public func removeAddresses(from node: NodeNamespace) async {
        await changeAddresses(to: ClusterIPAddresses(addresses: []), on: node, additionsOnly: false)
    }

    /// Changes the cluster IPs on `node`'s `lo` from `addressesOnNode` towards `wanted` (only adding some when
    /// `additionsOnly`); a change that fails is logged and left for the next call.
    func changeAddresses(to wanted: ClusterIPAddresses, on node: NodeNamespace, additionsOnly: Bool) async {
        for change in wanted.changes(from: addressesOnNode) where change.isAddition || !additionsOnly {
            do {
                try await node.run(change.command)
                var present = addressesOnNode.addresses
                if change.isAddition { present.append(change.address) } else { present.removeAll { $0 == change.address } }
                addressesOnNode = ClusterIPAddresses(addresses: present)
            } catch {
                logger.error("setting the cluster IP addresses on lo: \(error)")
            }
        }
    }

    /// Closes every listener, session and connection (the cluster IPs stay on `lo`).
    public func stop() async {
        guard !stopped else { return }
        stopped = true
        let all = listeners.values
        listeners = [:]
        for running in all { await running.listener.close() }
        try? await group.shutdownGracefully()
    }
}
