import APIModel
import Foundation

/// The network guard (DESIGN.md §5) where nftables is unavailable, for the userspace service proxy: no packet
/// filter, so the guard is made of routes and forwarding instead.
///
/// - The service and cluster CIDRs are routed to the bridge (a cluster address never follows the default
///   route out of the node), as `NetworkGuard` does.
/// - Forwarding is switched off for packets that come from the bridge (`net.ipv4.conf.<bridge>.forwarding=0`):
///   pods reach the node's own addresses (the cluster IPs the userspace proxy binds on `lo`, the cluster DNS,
///   node ports) and each other on the bridge, and nothing else — no packet of a pod is routed anywhere.
///   `net.ipv4.ip_forward` is set to 1 first, because the CNI bridge plugin sets it when it is 0, and setting it
///   resets every interface's forwarding to 1; when it is 1 already, the plugin leaves it alone.
///
/// So pods cannot reach other nodes' pods in this mode (one node only), which `NodePeerRoutes` knows.
/// Contract: `install()` runs before any pod is attached or any service is proxied, and is idempotent;
/// `forwardingFromBridge()` reads the setting back (the agent checks it stays off).
public struct RoutingGuard: Sendable {
    public var bridgeName: String
    public var serviceCIDR: IPv4CIDR
    public var clusterCIDR: IPv4CIDR
    public var node: NodeNamespace

    public init(_ config: PodNetworkConfig) {
        bridgeName = config.bridgeName
        serviceCIDR = config.serviceCIDR
        clusterCIDR = config.clusterCIDR
        node = config.node
    }

    public func install() async throws(PodNetworkError) {
        if (try? await node.run(["ip", "link", "show", "dev", bridgeName])) == nil {
            try await node.run(["ip", "link", "add", "name", bridgeName, "type", "bridge"])
        }
        try await node.run(["sysctl", "-q", "-w", "net.ipv4.ip_forward=1"])
        try await node.run(["sysctl", "-q", "-w", "net.ipv4.conf.\(bridgeName).forwarding=0"])
        try await node.run(["ip", "link", "set", "dev", bridgeName, "up"])
        for cidr in [serviceCIDR, clusterCIDR] {
            try await node.run(["ip", "route", "replace", cidr.description, "dev", bridgeName])
        }
    }

    /// Whether packets from the bridge may be forwarded (false once installed).
    public func forwardingFromBridge() async throws(PodNetworkError) -> Bool {
        let shown = try await node.run(["sysctl", "-n", "net.ipv4.conf.\(bridgeName).forwarding"])
        return String(decoding: shown.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) != "0"
    }
}
