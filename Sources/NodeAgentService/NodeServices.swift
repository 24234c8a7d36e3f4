import APIClient
import ClusterDNS
import Logging
import PodNetwork
import ServiceProxy

/// What every node runs for Services besides its pods: the service proxy (nftables rules for cluster IPs and
/// node ports) and the cluster DNS on the cluster DNS address, which is made an address of the node itself
/// (`10.43.0.10/32` on `lo`; not a dummy interface, which minimal kernels lack), so pods reach it through the
/// bridge and the node through `lo`.
///
/// Contract: `run()` starts only after the network guard is installed (DESIGN.md §5), and runs until cancelled.
struct NodeServices: Sendable {
    let client: KubernetesClient
    let node: NodeNamespace
    let dnsAddress: String
    let upstream: DNSUpstream?
    let proxyMode: ProxyMode
    let logger: Logger

    func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                switch proxyMode {
                case .nftables: await ServiceProxy(client: client, node: node, logger: Logger(label: "skiff.proxy")).run()
                case .userspace: await runUserspaceProxy()
                }
            }
            group.addTask {
                do {
                    try await addDNSAddress()
                    try await ClusterDNSService(client: client, host: dnsAddress, port: 53, upstream: upstream,
                                                logger: Logger(label: "skiff.dns")).run()
                } catch {
                    logger.error("the cluster DNS stopped: \(error)")
                }
            }
            await group.waitForAll()
        }
    }

    /// The userspace proxy (where nftables is unavailable) until cancelled; the cluster DNS address is left to
    /// the DNS. Its listeners close when it ends; the cluster IPs stay on `lo` (as nftables rules stay).
    func runUserspaceProxy() async {
        let proxy = UserspaceProxy(logger: Logger(label: "skiff.proxy"))
        await proxy.run(client: client, node: node, excludedAddresses: [dnsAddress])
        await proxy.stop()
    }

    /// The DNS address on `lo` (idempotent; `lo` is brought up too).
    func addDNSAddress() async throws {
        try await node.run(["ip", "link", "set", "dev", "lo", "up"])
        try await node.run(["ip", "addr", "replace", "\(dnsAddress)/32", "dev", "lo"])
    }
}
