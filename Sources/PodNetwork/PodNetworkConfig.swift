import APIModel
/// How this node wires its pods (DESIGN §5): a bridge (`skiff0`) whose address is the gateway of the node's pod
/// CIDR (a /24 out of the cluster's 10.42.0.0/16), addresses from host-local IPAM, CNI plugins called directly.
///
/// Pod traffic is never masqueraded: the bridge network is rendered with `ipMasq: false`, always.
public struct PodNetworkConfig: Hashable, Sendable {
    /// The CNI network name; host-local keeps its leases in `<ipamDataDirectory>/<networkName>/`.
    public var networkName: String
    public var bridgeName: String
    /// This node's pod network, e.g. 10.42.0.0/24.
    public var podCIDR: IPv4CIDR
    /// The bridge's address and the pods' default gateway; the CIDR's first address unless given.
    public var gateway: IPv4Address
    /// The whole cluster's pod network (10.42.0.0/16), dropped by the guard on every interface but the bridge.
    public var clusterCIDR: IPv4CIDR
    /// The service network (10.43.0.0/16), routed to the bridge and guarded like the cluster CIDR.
    public var serviceCIDR: IPv4CIDR
    /// host-local's data directory (below the agent's data directory).
    public var ipamDataDirectory: String
    /// Where the CNI plugin binaries are (`CNI_PATH`).
    public var pluginDirectory: String
    /// Where the pods' network namespaces are bind-mounted.
    public var netnsDirectory: String
    /// The pod's interface on the bridge network.
    public var interfaceName: String
    /// The namespace that plays the node (nil path: the agent's own).
    public var node: NodeNamespace

    public init(podCIDR: IPv4CIDR, gateway: IPv4Address? = nil, ipamDataDirectory: String,
                netnsDirectory: String, node: NodeNamespace = .current, bridgeName: String = "skiff0",
                networkName: String = "skiff", pluginDirectory: String = "/usr/lib/cni",
                clusterCIDR: IPv4CIDR = Self.defaultClusterCIDR, serviceCIDR: IPv4CIDR = Self.defaultServiceCIDR,
                interfaceName: String = "eth0") {
        self.podCIDR = podCIDR
        self.gateway = gateway ?? podCIDR.address(at: 1)
        self.ipamDataDirectory = ipamDataDirectory
        self.netnsDirectory = netnsDirectory
        self.node = node
        self.bridgeName = bridgeName
        self.networkName = networkName
        self.pluginDirectory = pluginDirectory
        self.clusterCIDR = clusterCIDR
        self.serviceCIDR = serviceCIDR
        self.interfaceName = interfaceName
    }

    /// Production paths below a data directory and a runtime directory: IPAM leases in `<dataDir>/cni/networks`,
    /// namespaces in `<runDir>/netns`.
    public init(podCIDR: IPv4CIDR, dataDirectory: String, runDirectory: String, node: NodeNamespace = .current) {
        self.init(podCIDR: podCIDR, ipamDataDirectory: dataDirectory + "/cni/networks",
                  netnsDirectory: runDirectory + "/netns", node: node)
    }

    public static let defaultClusterCIDR = IPv4CIDR("10.42.0.0/16")!
    public static let defaultServiceCIDR = IPv4CIDR("10.43.0.0/16")!

    /// Checks what the kernel and the plugins would otherwise reject less clearly.
    public func validate() throws(PodNetworkError) {
        guard podCIDR.contains(gateway), gateway != podCIDR.network else {
            throw .invalid("gateway \(gateway) is not a host address of the pod CIDR \(podCIDR)")
        }
        guard clusterCIDR.contains(podCIDR) else {
            throw .invalid("pod CIDR \(podCIDR) is not inside the cluster CIDR \(clusterCIDR)")
        }
        guard !bridgeName.isEmpty, bridgeName.utf8.count <= 15, !interfaceName.isEmpty else {
            throw .invalid("invalid interface name \"\(bridgeName)\" or \"\(interfaceName)\"")
        }
    }
}
