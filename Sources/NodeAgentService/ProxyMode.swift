import Foundation

/// How a node carries out Services, with the network guard that goes with it:
/// - `nftables`: kube-proxy's nftables rules (`ServiceProxy`) behind the nftables guard (`NetworkGuard`), pods
///   routed to other nodes (`NodePeerRoutes`);
/// - `userspace`: where nftables is unavailable, a SwiftNIO proxy listening on the cluster IPs and node ports
///   (`UserspaceProxy`) behind the routing guard (`RoutingGuard`: nothing of a pod's is forwarded), one node only.
public enum ProxyMode: String, Sendable, CaseIterable {
    case nftables
    case userspace

    /// `nftables` when `nft` is installed and the kernel answers it (`nft list tables`), else `userspace`.
    public static func detect() -> ProxyMode {
        guard AgentPreflight.installed("nft") else { return .userspace }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["nft", "list", "tables"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus == 0 ? .nftables : .userspace
        } catch {
            return .userspace
        }
    }
}
