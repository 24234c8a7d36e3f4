import APIModel
import Foundation

/// The ranges Services draw from: the service CIDR (IPv4; `10.43.0.0/16` by default, DESIGN.md §5) for cluster
/// IPs and the NodePort range (30000–32767).
///
/// Cluster IPs are the CIDR's addresses but its first (network) and last (broadcast); the first usable one
/// (`10.43.0.1`) belongs to the `kubernetes` Service. As Kubernetes does, automatic choices come from the upper
/// part of each range first, leaving the lower part (1/16 of the CIDR; up to 128 node ports) to clients that
/// ask for a specific value.
public struct ServiceRanges: Sendable, Equatable {
    public let network: UInt32
    public let prefixLength: Int
    public let nodePorts: ClosedRange<Int32>

    public static let `default` = ServiceRanges(cidr: "10.43.0.0/16", nodePorts: 30000...32767)!

    /// Nil unless `cidr` is an IPv4 CIDR with a prefix of 8–30 bits.
    public init?(cidr: String, nodePorts: ClosedRange<Int32>) {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let length = Int(parts[1]), (8...30).contains(length),
              let address = Self.parse(String(parts[0])) else { return nil }
        let mask: UInt32 = length == 0 ? 0 : ~UInt32(0) << (32 - UInt32(length))
        self.network = address & mask
        self.prefixLength = length
        self.nodePorts = nodePorts
    }

    public var cidr: String { "\(Self.format(network))/\(prefixLength)" }
    /// How many addresses the CIDR spans (network and broadcast included).
    var size: UInt32 { UInt32(1) << (32 - UInt32(prefixLength)) }

    /// The address at `offset` from the network address.
    func address(at offset: UInt32) -> String { Self.format(network &+ offset) }

    /// The offset of `ip` in the CIDR when it is a usable address of it (not network, not broadcast).
    func offset(of ip: String) -> UInt32? {
        guard let value = Self.parse(ip), value & ~(size - 1) == network else { return nil }
        let offset = value - network
        return offset == 0 || offset == size - 1 ? nil : offset
    }

    /// Usable offsets, the automatic band first: `[size/16, size-1)` then `[1, size/16)`.
    var automaticIPOffsets: (preferred: Range<UInt32>, rest: Range<UInt32>) {
        let split = max(1, min(size / 16, 256))
        return (split..<(size - 1), 1..<split)
    }

    /// Node ports, the automatic band first (all but the lowest `min(max(16, count/32), 128)`).
    var automaticNodePorts: (preferred: ClosedRange<Int32>, rest: ClosedRange<Int32>?) {
        let count = Int32(nodePorts.count)
        let reserved = min(max(16, count / 32), 128)
        guard count > reserved else { return (nodePorts, nil) }
        let split = nodePorts.lowerBound + reserved
        return (split...nodePorts.upperBound, nodePorts.lowerBound...(split - 1))
    }

    /// The IP of the `kubernetes` Service: the first usable address.
    public var kubernetesServiceIP: String { address(at: 1) }

    static func parse(_ text: String) -> UInt32? { IPv4Address(text)?.value }

    static func format(_ value: UInt32) -> String { IPv4Address(value).description }
}
