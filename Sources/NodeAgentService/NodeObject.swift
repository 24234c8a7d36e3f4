import APIModel
import ControllerRuntime

/// The Node a real agent registers and posts: capacity from the host, allocatable equal to it (no reserved
/// resources yet), addresses, system info, the kubelet's conditions and the daemon endpoint (10250). Pure.
public enum NodeObject {
    /// The kubelet version Skiff reports.
    public static let kubeletVersion = "v1.32.0+skiff"
    public static let kubeletPort: Int32 = 10250
    public static let maxPods = 110

    public static func build(name: String, nodeIP: String, podCIDR: String?, facts: HostFacts,
                             runtimeVersion: String, now: Time) -> Node {
        let resources: [String: Quantity] = [
            "cpu": Quantity(Int64(facts.cpus)),
            "memory": Quantity(facts.memoryBytes, format: .binarySI),
            "ephemeral-storage": Quantity(facts.ephemeralStorageBytes, format: .binarySI),
            "pods": Quantity(Int64(maxPods)),
        ]
        let labels = [
            "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": facts.architecture,
            "beta.kubernetes.io/os": "linux", "beta.kubernetes.io/arch": facts.architecture,
        ]
        return Node(
            metadata: ObjectMeta(annotations: ["node.alpha.kubernetes.io/ttl": "0"], labels: labels, name: name),
            spec: NodeSpec(podCIDR: podCIDR, podCIDRs: podCIDR.map { [$0] }),
            status: NodeStatus(
                addresses: [NodeAddress(address: nodeIP, type: "InternalIP"),
                            NodeAddress(address: facts.hostname, type: "Hostname")],
                allocatable: resources, capacity: resources,
                conditions: NodeHeartbeat.healthyConditions(now: now, heartbeat: now),
                daemonEndpoints: NodeDaemonEndpoints(kubeletEndpoint: DaemonEndpoint(Port: kubeletPort)),
                nodeInfo: NodeSystemInfo(architecture: facts.architecture, bootID: facts.bootID,
                                         containerRuntimeVersion: runtimeVersion,
                                         kernelVersion: facts.kernelVersion, kubeProxyVersion: kubeletVersion,
                                         kubeletVersion: kubeletVersion, machineID: facts.machineID,
                                         operatingSystem: "linux", osImage: facts.osImage, systemUUID: "")))
    }
}
