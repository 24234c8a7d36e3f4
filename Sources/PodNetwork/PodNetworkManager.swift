import APIModel
import Foundation
import Logging

/// A pod's place on the node's network, as `PodNetworkManager.setUp` made it.
public struct PodNetworkAttachment: Hashable, Sendable {
    /// The pod's network namespace: the sandbox (pause) container and every container of the pod join it.
    public var netnsPath: String
    /// The pod IP (Pod `status.podIP`).
    public var ip: IPv4Address
    /// The network the address is on (the node's pod CIDR).
    public var network: IPv4CIDR
    public var gateway: IPv4Address?
    /// The pod's interface (`eth0`).
    public var interfaceName: String
    /// The host end of the pod's veth, a port of the bridge in the node's namespace.
    public var hostInterface: String?
}

/// Gives pods their network: a namespace of their own, `lo` up, and an `eth0` on the node's bridge with an
/// address of the node's pod CIDR (CNI `loopback`, then `bridge` with `host-local` IPAM).
///
/// Contract:
/// - `setUp(podID:)` creates the namespace `<netnsDirectory>/<podID>` and attaches it; when any step fails it
///   undoes the others and throws, leaving no namespace, veth or address lease behind.
/// - `tearDown(podID:)` releases the address, removes the veth and the namespace. It is idempotent: tearing down
///   a pod that was never set up, or twice, succeeds. Addresses are not reused at once (host-local hands them out
///   in turn), so a pod set up again gets a new IP.
/// - The pod ID (a pod UID) is both the namespace's name and the CNI container ID.
/// - Calls for different pods may run concurrently (host-local locks its store); calls for one pod must not.
/// - `NetworkGuard.install()` runs first: it creates the bridge, so concurrent first ADDs never race to make it,
///   and no pod exists before the guard does.
public struct PodNetworkManager: Sendable {
    public let config: PodNetworkConfig
    public let namespaces: PodNamespaces
    private let logger: Logger

    public init(config: PodNetworkConfig, logger: Logger = Logger(label: "skiff.podnetwork")) throws(PodNetworkError) {
        try config.validate()
        self.config = config
        namespaces = PodNamespaces(directory: config.netnsDirectory)
        self.logger = logger
    }

    public func setUp(podID: String) async throws(PodNetworkError) -> PodNetworkAttachment {
        let netns = try await namespaces.create(podID)
        do {
            try await plugin("loopback").run(.add, containerID: podID, netns: netns, interface: "lo",
                                             config: CNINetworkConfig.loopback())
            let output = try await plugin("bridge").run(.add, containerID: podID, netns: netns,
                                                        interface: config.interfaceName,
                                                        config: CNINetworkConfig.bridge(config))
            let result = try CNIResult.decode(output)
            let (network, ip, gateway) = try result.address(of: config.interfaceName)
            logger.debug("pod network set up", metadata: ["pod": "\(podID)", "ip": "\(ip)"])
            return PodNetworkAttachment(netnsPath: netns, ip: ip, network: network, gateway: gateway,
                                        interfaceName: config.interfaceName,
                                        hostInterface: result.hostInterface(bridge: config.bridgeName))
        } catch {
            logger.warning("pod network setup failed, undoing it", metadata: ["pod": "\(podID)", "error": "\(error)"])
            try? await tearDown(podID: podID)
            throw error
        }
    }

    public func tearDown(podID: String) async throws(PodNetworkError) {
        let netns = namespaces.exists(podID) ? try namespaces.path(of: podID) : ""
        // DEL with the namespace releases the lease and deletes the veth; without it (namespace already gone,
        // and with it the veth) it still releases the lease. The namespace goes even when DEL fails (its veth
        // goes with it); DEL's error is thrown after, and a retry finds no namespace and releases the lease.
        var failure: PodNetworkError?
        do {
            try await plugin("bridge").run(.del, containerID: podID, netns: netns, interface: config.interfaceName,
                                           config: CNINetworkConfig.bridge(config))
        } catch {
            failure = error
        }
        try namespaces.remove(podID)
        if let failure { throw failure }
        logger.debug("pod network torn down", metadata: ["pod": "\(podID)"])
    }

    private func plugin(_ type: String) -> CNIPlugin {
        CNIPlugin(type: type, directory: config.pluginDirectory, node: config.node)
    }
}
