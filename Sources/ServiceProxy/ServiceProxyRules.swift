/// The service proxy's nftables rules (pure), in a table of their own (`table ip skiff_proxy`), as kube-proxy's
/// nftables mode lays them out:
/// - NAT chains on prerouting (pods' traffic) and output (the node's own) look the destination up in
///   `service_ips` (cluster IP . protocol . port) and, for addresses of the node itself (`fib daddr type local`,
///   127.0.0.1 included), in `service_nodeports` (protocol . port); each jumps to the Service port's chain;
/// - a Service port's chain spreads new connections evenly over its endpoint chains (`numgen random mod N`);
///   with ClientIP affinity a client seen recently goes back to its endpoint (a dynamic set per endpoint with the
///   affinity timeout); a Service port without endpoints is rejected (ICMP port unreachable, TCP reset) by
///   filter chains on output, forward and input, as kube-proxy does;
/// - an endpoint's chain DNATs to it; traffic that would come back to its own sender (hairpin), and node-port
///   traffic, is marked and masqueraded on postrouting to the bridge's address (never to the outside: the
///   guard drops cluster traffic off the bridge).
/// The script replaces the table in one transaction, so rules are never seen half-updated.
public struct ServiceProxyRules: Equatable, Sendable {
    public var tableName = "skiff_proxy"
    public var services: [ProxiedService]

    public static let masqueradeMark = "0x00004000"

    public init(services: [ProxiedService], tableName: String = "skiff_proxy") {
        self.services = services
        self.tableName = tableName
    }

    public func script() -> String {
        let parts = services.map(ServiceChains.init)
        var elements: [String: [String]] = [:]
        for part in parts {
            for (map, element) in part.elements { elements[map, default: []].append(element) }
        }
        var out = removalScript()
        out += "table ip \(tableName) {\n"
        out += map("service_ips", key: "ipv4_addr . inet_proto . inet_service", elements["service_ips"] ?? [])
        out += map("service_nodeports", key: "inet_proto . inet_service", elements["service_nodeports"] ?? [])
        out += map("no_endpoint_services", key: "ipv4_addr . inet_proto . inet_service", elements["no_endpoint_services"] ?? [])
        out += map("no_endpoint_nodeports", key: "inet_proto . inet_service", elements["no_endpoint_nodeports"] ?? [])
        out += """
            \tchain prerouting {
            \t\ttype nat hook prerouting priority -100; policy accept;
            \t\tjump services
            \t}
            \tchain output {
            \t\ttype nat hook output priority -100; policy accept;
            \t\tjump services
            \t}
            \tchain services {
            \t\tip daddr . meta l4proto . th dport vmap @service_ips
            \t\tfib daddr type local meta l4proto . th dport vmap @service_nodeports
            \t}
            \tchain filter_output {
            \t\ttype filter hook output priority -110; policy accept;
            \t\tip daddr . meta l4proto . th dport vmap @no_endpoint_services
            \t\tfib daddr type local meta l4proto . th dport vmap @no_endpoint_nodeports
            \t}
            \tchain filter_forward {
            \t\ttype filter hook forward priority -110; policy accept;
            \t\tip daddr . meta l4proto . th dport vmap @no_endpoint_services
            \t}
            \tchain filter_input {
            \t\ttype filter hook input priority -110; policy accept;
            \t\tfib daddr type local meta l4proto . th dport vmap @no_endpoint_nodeports
            \t}
            \tchain reject_chain {
            \t\treject
            \t}
            \tchain postrouting {
            \t\ttype nat hook postrouting priority 100; policy accept;
            \t\tmeta mark & \(Self.masqueradeMark) == 0 return
            \t\tmeta mark set meta mark ^ \(Self.masqueradeMark)
            \t\tmasquerade
            \t}
            \tchain mark_for_masquerade {
            \t\tmeta mark set meta mark | \(Self.masqueradeMark)
            \t}

            """
        for part in parts {
            for (name, body) in part.sets { out += "\tset \(name) { \(body) }\n" }
            for (name, rules) in part.chains {
                out += "\tchain \(name) {\n" + rules.map { "\t\t\($0)\n" }.joined() + "\t}\n"
            }
        }
        out += "}\n"
        return out
    }

    private func map(_ name: String, key: String, _ elements: [String]) -> String {
        var out = "\tmap \(name) {\n\t\ttype \(key) : verdict\n"
        if !elements.isEmpty { out += "\t\telements = { " + elements.joined(separator: ",\n\t\t\t") + " }\n" }
        return out + "\t}\n"
    }

    /// Removes the table; succeeds when there is none.
    public func removalScript() -> String {
        "table ip \(tableName)\ndelete table ip \(tableName)\n"
    }
}
