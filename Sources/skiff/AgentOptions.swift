import ArgumentParser
import ClusterDNS
import Foundation
import NodeAgentService

/// The options of a node agent, shared by `skiff agent` and the agent embedded in `skiff server`.
struct AgentOptions: ParsableArguments {
    @Option(name: .customLong("node-ip"), help: "The node's InternalIP (default: the first global IPv4 address of a non-loopback interface, else 127.0.0.1).")
    var nodeIP: String?

    @Option(name: .customLong("pod-cidr"), help: "This node's pod network, for a Node that has none yet (default: the server assigns one out of 10.42.0.0/16).")
    var podCIDR: String?

    @Option(name: .customLong("cluster-dns-upstream"), help: "Forward names outside cluster.local to this resolver (IPv4[:port]); by default they are refused and nothing leaves the node.")
    var clusterDNSUpstream: String?

    @Option(name: .customLong("proxy-mode"), help: "How Services are carried out: nftables, userspace (a SwiftNIO proxy, one node only; for machines without nftables) or auto (nftables when the kernel has it).")
    var proxyMode: String = "auto"

    /// The proxy mode asked for, `auto` resolved (which runs `nft`: resolve once).
    func resolveProxyMode() -> ProxyMode {
        ProxyMode(rawValue: proxyMode) ?? ProxyMode.detect()
    }

    func validate() throws {
        guard proxyMode == "auto" || ProxyMode(rawValue: proxyMode) != nil else {
            throw ValidationError("--proxy-mode must be auto, nftables or userspace")
        }
        if let upstream = clusterDNSUpstream, DNSUpstream(upstream) == nil {
            throw ValidationError("--cluster-dns-upstream must be IPv4[:port], e.g. 192.168.1.1:53")
        }
    }

    /// The agent's configuration below `dataDirectory` (images in `<data-dir>/images`, the agent's state in
    /// `<data-dir>/agent`).
    func configuration(nodeName: String, dataDirectory: String, proxyMode: ProxyMode) -> NodeAgentConfiguration {
        var configuration = NodeAgentConfiguration(
            nodeName: nodeName, nodeIP: nodeIP ?? NodeAddressDetection.firstGlobalIPv4(), podCIDR: podCIDR,
            dataDirectory: dataDirectory + "/agent", runDirectory: dataDirectory + "/agent/run",
            imageDirectory: dataDirectory + "/images", executable: Self.executablePath())
        configuration.clusterDNSUpstream = clusterDNSUpstream.flatMap { DNSUpstream($0) }
        configuration.proxyMode = proxyMode
        return configuration
    }

    /// This executable (the sandbox runs it as `skiff pause`, log shims as `skiff container-log`).
    static func executablePath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
