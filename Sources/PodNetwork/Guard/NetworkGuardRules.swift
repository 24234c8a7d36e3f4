import APIModel
/// What the network guard (DESIGN §5) keeps from leaving the node, and its nftables rendering. Pure.
///
/// The rules, in a table of their own (`table inet skiff_guard`), each a `drop` with a counter:
/// - output hook: packets to, or from, a cluster network (pods, services) that leave through any interface but
///   the bridge and `lo` (the node's own addresses are reached through `lo`);
/// - forward hook: packets to a cluster network that leave through any interface but the bridge, and packets
///   coming from the bridge (from pods) to any private range that leave through another interface.
/// Private ranges are dropped for pods' traffic only: the node itself keeps reaching its own private networks.
/// The exceptions are two sets `PeerRouting` fills (empty until then): `peer_pod_nets`, the pod networks of the
/// cluster's other nodes, routed through them, to which packets are accepted; and `cluster_hosts`, the other
/// nodes' and the API servers' addresses, which pods may reach (the `kubernetes` Service, node ports).
/// Filter chains run after NAT's output and prerouting chains, so they see the DNATed destination and its route.
public struct NetworkGuardRules: Hashable, Sendable {
    public var tableName: String
    public var bridgeName: String
    /// Never leave except through the bridge: the cluster's pod CIDR and the service CIDR.
    public var clusterNetworks: [IPv4CIDR]
    /// Pods may reach none of these off the bridge.
    public var privateRanges: [IPv4CIDR]

    public init(bridgeName: String, clusterNetworks: [IPv4CIDR], privateRanges: [IPv4CIDR] = Self.defaultPrivateRanges,
                tableName: String = "skiff_guard") {
        self.bridgeName = bridgeName
        self.clusterNetworks = clusterNetworks
        self.privateRanges = privateRanges
        self.tableName = tableName
    }

    /// The guard of a pod network: its cluster and service CIDRs, and the default private ranges.
    public init(_ config: PodNetworkConfig) {
        self.init(bridgeName: config.bridgeName, clusterNetworks: [config.clusterCIDR, config.serviceCIDR])
    }

    /// RFC 1918's private ranges and RFC 6598's shared address space (carrier-grade NAT).
    public static let defaultPrivateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"]
        .map { IPv4CIDR($0)! }

    /// An `nft -f` script that replaces the table atomically: it declares the table (so the delete never fails),
    /// deletes it and defines it anew, in one transaction — at no moment is the guard missing.
    public func script() -> String {
        let bridge = quoted(bridgeName)
        return removalScript() + """
            table inet \(tableName) {
            \tset cluster_nets {
            \t\ttype ipv4_addr
            \t\tflags interval
            \t\telements = { \(list(clusterNetworks)) }
            \t}
            \tset private_nets {
            \t\ttype ipv4_addr
            \t\tflags interval
            \t\telements = { \(list(privateRanges)) }
            \t}
            \tset \(Self.peerSetName) {
            \t\ttype ipv4_addr
            \t\tflags interval
            \t}
            \tset \(Self.hostSetName) {
            \t\ttype ipv4_addr
            \t}
            \tchain guard_output {
            \t\ttype filter hook output priority 0; policy accept;
            \t\tip daddr @\(Self.peerSetName) accept
            \t\toifname != { "lo", \(bridge) } ip daddr @cluster_nets counter drop
            \t\toifname != { "lo", \(bridge) } ip saddr @cluster_nets counter drop
            \t}
            \tchain guard_forward {
            \t\ttype filter hook forward priority 0; policy accept;
            \t\tip daddr @\(Self.peerSetName) accept
            \t\toifname != \(bridge) ip daddr @cluster_nets counter drop
            \t\tiifname \(bridge) ip daddr @\(Self.hostSetName) accept
            \t\tiifname \(bridge) oifname != \(bridge) ip daddr @private_nets counter drop
            \t}
            }

            """
    }

    /// The set of other nodes' pod networks, the only cluster addresses allowed off the bridge.
    public static let peerSetName = "peer_pod_nets"

    /// The set of the cluster's other hosts (nodes, API servers), which pods may reach off the bridge.
    public static let hostSetName = "cluster_hosts"

    /// An `nft -f` script that sets `peer_pod_nets` to exactly `networks` and `cluster_hosts` to exactly `hosts`,
    /// in one transaction.
    public func peerSetScript(_ networks: [IPv4CIDR], hosts: [IPv4Address] = []) -> String {
        var script = "flush set inet \(tableName) \(Self.peerSetName)\n"
        if !networks.isEmpty {
            script += "add element inet \(tableName) \(Self.peerSetName) { \(list(networks)) }\n"
        }
        script += "flush set inet \(tableName) \(Self.hostSetName)\n"
        if !hosts.isEmpty {
            script += "add element inet \(tableName) \(Self.hostSetName) { \(hosts.map(\.description).joined(separator: ", ")) }\n"
        }
        return script
    }

    /// An `nft -f` script that removes the table, and succeeds when there is none.
    public func removalScript() -> String {
        "table inet \(tableName)\ndelete table inet \(tableName)\n"
    }

    private func list(_ networks: [IPv4CIDR]) -> String {
        networks.map(\.description).joined(separator: ", ")
    }

    private func quoted(_ name: String) -> String {
        "\"" + name.filter { $0 != "\"" && $0 != "\\" } + "\""
    }
}
