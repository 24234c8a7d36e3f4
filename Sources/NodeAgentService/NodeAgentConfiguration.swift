import Foundation
import ClusterDNS
import NodeStreaming

/// How one node agent runs: its node's name and addresses, where it keeps its state, and its pod network.
///
/// Layout below `dataDirectory` (the agent's `<data-dir>/agent`): `images/` (the image store, shared with
/// `skiff images`), `pods/<uid>/` (volumes and the pod's /etc files), `logs/` (the kubelet's /var/log/pods),
/// `containers/<id>/` (overlay upper, work and merged directories), `pause/` (the sandbox's root), and
/// `cni/networks` (IP leases). Below `runDirectory`: `runtime/` (the OCI runtime's state, `--root`),
/// `bundles/<id>/` and `netns/<pod uid>`.
public struct NodeAgentConfiguration: Sendable {
    public var nodeName: String
    /// The node's InternalIP (and the pods' hostIP).
    public var nodeIP: String
    /// This node's pod network, written into the Node at registration; nil (the default) registers without
    /// one and waits for the server's node IPAM controller to assign one. A Node that has one keeps it.
    public var podCIDR: String?
    public var dataDirectory: String
    public var runDirectory: String
    /// Where `skiff images` keeps images (default `<dataDirectory>/images`).
    public var imageDirectory: String
    /// How often the Lease is renewed (the kubelet's 10 s).
    public var leaseInterval: Duration
    /// How often the node status is posted even when nothing changed.
    public var statusInterval: Duration
    /// This binary: the sandbox runs `<executable> pause`, each container's log shim `<executable> container-log`.
    public var executable: String
    /// The node's streaming server for `kubectl logs` and `exec` (the kubelet's port 10250); nil runs none.
    public var streaming: NodeStreamingConfiguration?
    /// Where the cluster DNS forwards names outside the cluster's zone; nil (the default) refuses them.
    public var clusterDNSUpstream: DNSUpstream?
    /// How Services are carried out on this node (and which network guard protects it).
    public var proxyMode: ProxyMode = .nftables

    public init(nodeName: String, nodeIP: String, podCIDR: String? = nil, dataDirectory: String,
                runDirectory: String, imageDirectory: String? = nil, leaseInterval: Duration = .seconds(10),
                statusInterval: Duration = .seconds(60), executable: String) {
        self.nodeName = nodeName
        self.nodeIP = nodeIP
        self.podCIDR = podCIDR
        self.dataDirectory = dataDirectory
        self.runDirectory = runDirectory
        self.imageDirectory = imageDirectory ?? dataDirectory + "/images"
        self.leaseInterval = leaseInterval
        self.statusInterval = statusInterval
        self.executable = executable
    }

    var podsDirectory: String { dataDirectory + "/pods" }
    var logsDirectory: String { dataDirectory + "/logs" }
    var containersDirectory: String { dataDirectory + "/containers" }
    var pauseRootDirectory: String { dataDirectory + "/pause/rootfs" }
    var runtimeStateDirectory: String { runDirectory + "/runtime" }
    var bundleDirectory: String { runDirectory + "/bundles" }
}
