import APIModel

/// Pod networks for nodes, cut from the cluster CIDR (`10.42.0.0/16`, a /24 each; DESIGN.md §5) as
/// kube-controller-manager's range allocator does with `--allocate-node-cidrs`. Pure.
///
/// Contract: `occupy` marks a node's network as taken (networks outside the cluster CIDR, or of another size,
/// are ignored: simulated nodes and hand-configured ones keep theirs); `allocate` returns the lowest free one
/// and marks it taken, nil when the cluster CIDR is exhausted; `release` frees one again.
public struct PodCIDRAllocator: Sendable, Equatable {
    public let clusterCIDR: IPv4CIDR
    public let nodePrefixLength: Int
    private var taken: Set<UInt32> = []

    public static let defaultClusterCIDR = IPv4CIDR("10.42.0.0/16")!

    public init(clusterCIDR: IPv4CIDR = Self.defaultClusterCIDR, nodePrefixLength: Int = 24) {
        precondition(nodePrefixLength >= clusterCIDR.prefixLength && nodePrefixLength <= 30)
        self.clusterCIDR = clusterCIDR
        self.nodePrefixLength = nodePrefixLength
    }

    /// How many node networks the cluster CIDR holds.
    public var capacity: Int { 1 << (nodePrefixLength - clusterCIDR.prefixLength) }

    public mutating func occupy(_ text: String) {
        if let index = index(of: text) { taken.insert(index) }
    }

    public mutating func release(_ text: String) {
        if let index = index(of: text) { taken.remove(index) }
    }

    public mutating func allocate() -> IPv4CIDR? {
        for index in 0..<UInt32(capacity) where !taken.contains(index) {
            taken.insert(index)
            return network(at: index)
        }
        return nil
    }

    private func network(at index: UInt32) -> IPv4CIDR {
        let address = IPv4Address(clusterCIDR.network.value + index << UInt32(32 - nodePrefixLength))
        return IPv4CIDR(address: address, prefixLength: nodePrefixLength)!
    }

    private func index(of text: String) -> UInt32? {
        guard let cidr = IPv4CIDR(text), cidr.prefixLength == nodePrefixLength, clusterCIDR.contains(cidr) else { return nil }
        return (cidr.network.value - clusterCIDR.network.value) >> UInt32(32 - nodePrefixLength)
    }
}
