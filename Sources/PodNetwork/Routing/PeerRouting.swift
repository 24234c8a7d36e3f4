import APIModel

/// Keeps the node's routes to other nodes' pod networks (`PeerRoutes`) and the guard's `peer_pod_nets` set in
/// step, in the node's namespace.
///
/// Our routes carry protocol number `routeProtocol` so that they are told apart from everyone else's: `apply`
/// replaces exactly those. Order of `apply`: stale routes go first (their traffic then falls to the cluster
/// route on the bridge), then the guard's set becomes exactly the wanted networks, then the wanted routes are
/// put in place — a network is never routed off the node while the guard would not let it out, and never let
/// out while no route sends it to its node.
public struct PeerRouting: Sendable {
    public static let routeProtocol = "199"
    public let rules: NetworkGuardRules
    public let node: NodeNamespace

    public init(rules: NetworkGuardRules, node: NodeNamespace) {
        self.rules = rules
        self.node = node
    }

    public init(_ config: PodNetworkConfig) {
        self.init(rules: NetworkGuardRules(config), node: config.node)
    }

    /// The peer routes in place now (ours only).
    public func current() async throws(PodNetworkError) -> [PeerRoute] {
        let shown = try await node.run(["ip", "-4", "route", "show", "proto", Self.routeProtocol])
        return Self.parse(String(decoding: shown.stdout, as: UTF8.self))
    }

    /// Makes the routes and the guard's `peer_pod_nets` exactly `routes`, and its `cluster_hosts` exactly `hosts`.
    public func apply(_ routes: [PeerRoute], hosts: [IPv4Address] = []) async throws(PodNetworkError) {
        let wanted = Set(routes)
        for stale in try await current() where !wanted.contains(stale) {
            try await node.run(["ip", "route", "del", stale.podCIDR.description, "proto", Self.routeProtocol])
        }
        try await node.run(["nft", "-f", "-"], input: rules.peerSetScript(routes.map(\.podCIDR), hosts: hosts))
        for route in routes.sorted() {
            try await node.run(["ip", "route", "replace", route.podCIDR.description, "via", route.via.description,
                                "proto", Self.routeProtocol])
        }
    }

    /// Routes from `ip -4 route show proto N` lines (`10.42.1.0/24 via 172.30.0.3 dev eth0 …`).
    static func parse(_ text: String) -> [PeerRoute] {
        text.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            guard words.count >= 3, let cidr = IPv4CIDR(words[0].contains("/") ? String(words[0]) : "\(words[0])/32"),
                  let index = words.firstIndex(of: "via"), index + 1 < words.count,
                  let via = IPv4Address(words[index + 1]) else { return nil }
            return PeerRoute(podCIDR: cidr, via: via)
        }
    }
}
