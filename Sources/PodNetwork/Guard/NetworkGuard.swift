import APIModel
/// Installs and removes the network guard (DESIGN §5) in the node's namespace: the service and cluster CIDRs
/// routed to the bridge (so a service address without rules goes nowhere rather than out of the default route), and the
/// nftables drops of `NetworkGuardRules`.
///
/// Contract: `install()` runs before any pod is attached or any service rule exists. It creates the bridge when
/// it is missing (a bridge with no ports, up: routes need an up device; the CNI bridge plugin adopts it later) and
/// is idempotent (the route is replaced, the table atomically replaced). `remove()` deletes the table and the
/// route, leaves the bridge, and succeeds when they are already gone. Nothing here touches any namespace but
/// `node`.
public struct NetworkGuard: Sendable {
    public var rules: NetworkGuardRules
    public var serviceCIDR: IPv4CIDR
    public var clusterCIDR: IPv4CIDR
    public var node: NodeNamespace

    public init(rules: NetworkGuardRules, serviceCIDR: IPv4CIDR, clusterCIDR: IPv4CIDR, node: NodeNamespace) {
        self.rules = rules
        self.serviceCIDR = serviceCIDR
        self.clusterCIDR = clusterCIDR
        self.node = node
    }

    /// The guard of a pod network, in its node's namespace.
    public init(_ config: PodNetworkConfig) {
        self.init(rules: NetworkGuardRules(config), serviceCIDR: config.serviceCIDR, clusterCIDR: config.clusterCIDR,
                  node: config.node)
    }

    public func install() async throws(PodNetworkError) {
        // The table first: from here on nothing of the cluster's leaves, whatever the routes say.
        try await node.run(["nft", "-f", "-"], input: rules.script())
        let bridge = rules.bridgeName
        if (try? await node.run(["ip", "link", "show", "dev", bridge])) == nil {
            try await node.run(["ip", "link", "add", "name", bridge, "type", "bridge"])
        }
        try await node.run(["ip", "link", "set", "dev", bridge, "up"])
        try await node.run(["ip", "route", "replace", serviceCIDR.description, "dev", bridge])
        // The cluster route: a pod address of no known node goes to the bridge (and nowhere), never to the
        // default route. Other nodes' networks get more specific routes through them (`PeerRouting`).
        try await node.run(["ip", "route", "replace", clusterCIDR.description, "dev", bridge])
    }

    public func remove() async throws(PodNetworkError) {
        for cidr in [serviceCIDR, clusterCIDR] {
            let route = ["ip", "route", "show", "exact", cidr.description, "dev", rules.bridgeName]
            if let shown = try? await node.run(route), !shown.stdout.isEmpty {
                try await node.run(["ip", "route", "del", cidr.description, "dev", rules.bridgeName])
            }
        }
        try await node.run(["nft", "-f", "-"], input: rules.removalScript())
    }
}
