import APIModel
import ControllerRuntime
import Foundation

/// What a simulated node looks like: its capacity and the facts it reports. Like KWOK's default nodes:
/// big enough that scheduling tests are about requests, not about the simulator.
public struct SimulatedNodeShape: Sendable, Hashable {
    public var cpu: Quantity
    public var memory: Quantity
    public var ephemeralStorage: Quantity
    public var pods: Int
    /// Labels every simulated node carries besides the standard ones.
    public var labels: [String: String]

    public init(cpu: Quantity = "32", memory: Quantity = "256Gi",
                ephemeralStorage: Quantity = "1Ti", pods: Int = 110, labels: [String: String] = [:]) {
        self.cpu = cpu
        self.memory = memory
        self.ephemeralStorage = ephemeralStorage
        self.pods = pods
        self.labels = labels
    }

    /// The label that marks simulated nodes (`kubectl get nodes -l node.skiff.dev/simulated`).
    public static let simulatedLabel = "node.skiff.dev/simulated"

    /// The pod CIDR of the simulated node with this index: /24s from 10.128.0.0/9, a range no real Skiff node
    /// uses (no packet ever goes to a simulated pod).
    public static func podCIDR(index: Int) -> String {
        "10.\(128 + (index / 256) % 128).\(index % 256).0/24"
    }

    /// The address a simulated node reports (inside its own pod CIDR, never routed).
    public static func internalIP(index: Int) -> String {
        "10.\(128 + (index / 256) % 128).\(index % 256).1"
    }

    /// The Node object a simulated node registers.
    public func node(name: String, index: Int, now: Time) -> Node {
        let resources: [String: Quantity] = ["cpu": cpu, "memory": memory, "ephemeral-storage": ephemeralStorage,
                                             "pods": Quantity(Int64(pods))]
        var allLabels = labels
        allLabels["kubernetes.io/hostname"] = name
        allLabels["kubernetes.io/os"] = "linux"
        allLabels["kubernetes.io/arch"] = "amd64"
        allLabels["beta.kubernetes.io/os"] = "linux"
        allLabels["beta.kubernetes.io/arch"] = "amd64"
        allLabels[Self.simulatedLabel] = "true"
        return Node(
            metadata: ObjectMeta(annotations: ["node.alpha.kubernetes.io/ttl": "0"], labels: allLabels, name: name),
            spec: NodeSpec(podCIDR: Self.podCIDR(index: index), podCIDRs: [Self.podCIDR(index: index)]),
            status: NodeStatus(
                addresses: [NodeAddress(address: Self.internalIP(index: index), type: "InternalIP"),
                            NodeAddress(address: name, type: "Hostname")],
                allocatable: resources, capacity: resources, conditions: Self.conditions(now: now, heartbeat: now),
                daemonEndpoints: NodeDaemonEndpoints(kubeletEndpoint: DaemonEndpoint(Port: 10250)),
                nodeInfo: NodeSystemInfo(architecture: "amd64", bootID: "", containerRuntimeVersion: "skiff-sim://0.1",
                                         kernelVersion: "simulated", kubeProxyVersion: "v1.32.0+skiff",
                                         kubeletVersion: "v1.32.0+skiff", machineID: "", operatingSystem: "linux",
                                         osImage: "Skiff simulated node", systemUUID: "")))
    }

    /// The conditions of a healthy node, as the kubelet reports them.
    public static func conditions(now: Time, heartbeat: Time) -> [NodeCondition] {
        NodeHeartbeat.healthyConditions(now: now, heartbeat: heartbeat)
    }
}
