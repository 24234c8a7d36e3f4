import APIModel

/// A route to another node's pod network through that node's address.
public struct PeerRoute: Hashable, Sendable, Comparable {
    public var podCIDR: IPv4CIDR
    public var via: IPv4Address

    public init(podCIDR: IPv4CIDR, via: IPv4Address) {
        self.podCIDR = podCIDR
        self.via = via
    }

    public static func < (lhs: PeerRoute, rhs: PeerRoute) -> Bool {
        (lhs.podCIDR.network, lhs.podCIDR.prefixLength) < (rhs.podCIDR.network, rhs.podCIDR.prefixLength)
    }
}

/// Which routes make pods on different nodes reach each other (flannel's host-gw, in short): every other node
/// whose pod network lies inside the cluster CIDR and that reports an InternalIP gets a route to its network
/// through that address. Pure.
///
/// Left out: this node; nodes without a pod network or InternalIP; networks outside the cluster CIDR
/// (simulated nodes); a node whose InternalIP is this node's own or a loopback address, or lies in the cluster
/// CIDR (no route may point back into the pod network); and a network claimed twice (both are skipped).
public enum PeerRoutes {
    private static let loopback = IPv4CIDR("127.0.0.0/8")!

    public static func plan(nodes: [Node], selfName: String, selfIP: String, clusterCIDR: IPv4CIDR) -> [PeerRoute] {
        var byNetwork: [IPv4CIDR: [PeerRoute]] = [:]
        for node in nodes where node.metadata?.name != selfName {
            guard let text = node.spec?.podCIDR, let cidr = IPv4CIDR(text), clusterCIDR.contains(cidr),
                  let address = node.status?.addresses?.first(where: { $0.type == "InternalIP" })?.address,
                  let via = IPv4Address(address), address != selfIP, !loopback.contains(via),
                  !clusterCIDR.contains(via) else { continue }
            byNetwork[cidr, default: []].append(PeerRoute(podCIDR: cidr, via: via))
        }
        return byNetwork.values.compactMap { $0.count == 1 ? $0[0] : nil }.sorted()
    }

    /// The cluster's other hosts pods may reach: the other nodes' InternalIPs and the API servers' addresses
    /// (`apiServers`, the `kubernetes` Endpoints), sorted, without this node's own address, loopback addresses
    /// or addresses inside the cluster CIDR.
    public static func hosts(nodes: [Node], selfName: String, selfIP: String, apiServers: [String],
                             clusterCIDR: IPv4CIDR) -> [IPv4Address] {
        let nodeIPs = nodes.filter { $0.metadata?.name != selfName }
            .compactMap { $0.status?.addresses?.first(where: { $0.type == "InternalIP" })?.address }
        let addresses = Set((nodeIPs + apiServers).filter { $0 != selfIP }.compactMap { IPv4Address($0) })
        return addresses.filter { !loopback.contains($0) && !clusterCIDR.contains($0) }.sorted()
    }
}
