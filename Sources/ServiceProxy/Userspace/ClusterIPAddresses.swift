/// The cluster IPs the userspace proxy binds to, as addresses on the node's `lo` (pure): the sockets of
/// `UserspaceProxy` can listen on a cluster IP only when it is an address of the node.
///
/// `changes(from:)` gives the `ip` commands that turn the addresses of `previous` into these: `ip addr replace`
/// (idempotent) for each address to have, `ip addr del` for each one no longer needed. They are meant to run
/// in the node's namespace (`NodeNamespace.run`), never in a test process's own.
public struct ClusterIPAddresses: Equatable, Sendable {
    /// Sorted, without repeats.
    public private(set) var addresses: [String]

    /// The cluster IPs of the TCP and UDP ports among `services`, less `excluded` (addresses that something else
    /// on the node owns, such as the cluster DNS address, and that must never be deleted).
    public init(services: [ProxiedService], excluded: Set<String> = []) {
        let wanted = services.filter { $0.proto == "tcp" || $0.proto == "udp" }.map(\.clusterIP)
        addresses = Set(wanted).subtracting(excluded).sorted()
    }

    public init(addresses: [String]) {
        self.addresses = Set(addresses).sorted()
    }

    /// One address added to or deleted from `lo`, with the `ip` command (argument vector) that does it.
    public struct Change: Equatable, Sendable {
        public var address: String
        public var isAddition: Bool

        public var command: [String] {
            ["ip", "addr", isAddition ? "replace" : "del", ClusterIPAddresses.prefix(address), "dev", "lo"]
        }
    }

    /// What changes the node's `lo` from `previous` to these addresses: additions first, then deletions.
    public func changes(from previous: ClusterIPAddresses) -> [Change] {
        let old = Set(previous.addresses), new = Set(addresses)
        return addresses.filter { !old.contains($0) }.map { Change(address: $0, isAddition: true) }
            + previous.addresses.filter { !new.contains($0) }.map { Change(address: $0, isAddition: false) }
    }

    /// A host prefix: `/32` for IPv4, `/128` for IPv6.
    private static func prefix(_ address: String) -> String {
        address.contains(":") ? "\(address)/128" : "\(address)/32"
    }
}
