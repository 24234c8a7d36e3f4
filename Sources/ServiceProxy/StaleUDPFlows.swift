import APIModel

/// The connection-tracking entries of UDP Services that must go when the rules change, as kube-proxy deletes
/// them (UDP has no connection end: a client that keeps sending from one port would otherwise stay pinned, by
/// its tracked NAT, to an endpoint that no longer exists, or to the reject of a Service that had none). Pure.
///
/// - An endpoint gone from a UDP Service port (or the Service gone): flows to the cluster IP NATed to that
///   endpoint, and flows to the node port NATed to it.
/// - A UDP Service port that had no endpoints and now has some: every flow to its cluster IP and port, and to
///   its node port (they were being rejected).
/// TCP needs nothing: its connections end, and new ones are NATed afresh.
public enum StaleUDPFlows {
    /// One `conntrack -D` filter.
    public struct Deletion: Hashable, Sendable, Comparable {
        public var arguments: [String]

        public static func < (lhs: Deletion, rhs: Deletion) -> Bool {
            lhs.arguments.lexicographicallyPrecedes(rhs.arguments)
        }
    }

    public static func deletions(from previous: [ProxiedService], to current: [ProxiedService]) -> [Deletion] {
        let now = Dictionary(current.filter(isUDP).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var deletions = Set<Deletion>()
        for old in previous where isUDP(old) {
            let new = now[old.name]
            let remaining = Set((new?.backends ?? []).map(\.ip))
            for backend in old.backends where !remaining.contains(backend.ip) {
                deletions.insert(Deletion(arguments: ["-p", "udp", "--orig-dst", old.clusterIP, "--dst-nat", backend.ip]))
                if let nodePort = old.nodePort {
                    deletions.insert(Deletion(arguments: ["-p", "udp", "--orig-port-dst", String(nodePort),
                                                          "--dst-nat", backend.ip]))
                }
            }
        }
        let before = Dictionary(previous.filter(isUDP).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for new in current where isUDP(new) && !new.backends.isEmpty && (before[new.name]?.backends.isEmpty ?? true) {
            deletions.insert(Deletion(arguments: ["-p", "udp", "--orig-dst", new.clusterIP,
                                                  "--orig-port-dst", String(new.port)]))
            if let nodePort = new.nodePort {
                deletions.insert(Deletion(arguments: ["-p", "udp", "--orig-port-dst", String(nodePort)]))
            }
        }
        return deletions.sorted()
    }

    private static func isUDP(_ service: ProxiedService) -> Bool { service.proto.lowercased() == "udp" }
}
