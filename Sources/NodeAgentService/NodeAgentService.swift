import APIClient
import APIModel
import ContainerImages
import ContainerRuntime
import ControllerRuntime
import Foundation
import Logging
import NodeAgent
import NodeStreaming
import PodNetwork
import ServiceLifecycle
import Synchronization

/// The node agent (kubelet) as a service: registers this machine as a Node, heartbeats, and runs every pod
/// bound to it with real containers (one `PodDriver` per pod).
///
/// `run()`:
/// 1. prepares the runtime (this process becomes a child subreaper), the image store and the directories;
/// 2. registers the Node (host capacity, addresses, system info, Ready, kubelet port 10250) and takes the pod
///    CIDR from `node.spec.podCIDR` (the configured one, written at registration, or else the one the server
///    assigns, waited for);
/// 3. installs the network guard and the bridge (`NetworkGuard`, or `RoutingGuard` in the userspace proxy mode),
///    before any pod exists;
/// 4. reconciles what a previous run left (`NodeReconciler`: running containers of pods still bound here are
///    adopted, everything else removed);
/// 5. renews the Lease every `leaseInterval`, posts the status every `statusInterval`, and watches the pods
///    bound to the node, until graceful shutdown. Containers keep running when the agent stops.
public final class NodeAgentService: ServiceLifecycle.Service, Sendable {
    private let client: KubernetesClient
    private let configuration: NodeAgentConfiguration
    private let binary: RuntimeBinary
    private let logger: Logger
    private let drivers = Mutex<[String: PodDriver]>([:])
    private let runtime = Mutex<OCIRuntime?>(nil)

    public init(client: KubernetesClient, configuration: NodeAgentConfiguration, runtime binary: RuntimeBinary,
                logger: Logger = Logger(label: "skiff.agent")) {
        self.client = client
        self.configuration = configuration
        self.binary = binary
        self.logger = logger
    }

    /// The containers of a pod as this node runs them (runtime IDs and log files), for `kubectl logs` and
    /// `exec`; empty when the pod does not run here.
    public func containers(namespace: String, name: String) -> [RunningContainer] {
        driver(namespace: namespace, name: name)?.containers() ?? []
    }

    /// The driver of pod `namespace/name` on this node, if any.
    func driver(namespace: String, name: String) -> PodDriver? {
        drivers.withLock { drivers in drivers.values.first { $0.namespace == namespace && $0.name == name } }
    }

    /// The OCI runtime driver once `run()` prepared it (for `kubectl exec`: `exec(id:command:)` with a
    /// container ID from `containers(namespace:name:)`); nil before.
    public var containerRuntime: OCIRuntime? { runtime.withLock { $0 } }

    public func run() async throws {
        let facts = HostFacts.read(dataDirectory: configuration.dataDirectory)
        let heartbeats = NodeHeartbeat(client: client)
        // SIGTERM while registering or waiting for the pod network ends the agent there (nothing runs yet).
        guard let registered = try await register(facts: facts, heartbeats: heartbeats),
              let podCIDR = try await assignedPodCIDR(registered) else {
            logger.notice("node agent stopped before it started")
            return
        }
        guard let cidr = IPv4CIDR(podCIDR) else { throw AgentPreflight.Failure(description: "invalid pod CIDR \(podCIDR)") }

        for directory in [configuration.dataDirectory, configuration.podsDirectory, configuration.logsDirectory,
                          configuration.containersDirectory, configuration.runDirectory] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let oci = try OCIRuntime(binary: binary, stateDirectory: configuration.runtimeStateDirectory,
                                 bundleDirectory: configuration.bundleDirectory, cgroups: .belowOwnCgroup(),
                                 logShim: [configuration.executable, "container-log"],
                                 logger: Logger(label: "skiff.runtime"))
        runtime.withLock { $0 = oci }
        let networkConfig = PodNetworkConfig(podCIDR: cidr, dataDirectory: configuration.dataDirectory,
                                             runDirectory: configuration.runDirectory)
        switch configuration.proxyMode {
        case .nftables: try await NetworkGuard(networkConfig).install()
        case .userspace: try await RoutingGuard(networkConfig).install()
        }
        let network = try PodNetworkManager(config: networkConfig)
        let podRuntime = PodRuntime(configuration: configuration, runtime: oci,
                                    images: ImageStore(root: URL(fileURLWithPath: configuration.imageDirectory)),
                                    network: network, memoryCapacity: facts.memoryBytes, logger: logger)

        let bound = try await client.listItems(Pod.self, options: ListOptions(fieldSelector: podSelector))
        let (plan, adoptedIPs) = try await NodeReconciler(runtime: podRuntime, logger: logger).reconcile(boundPods: bound.items)

        let recorder = EventRecorder(client: client, component: "kubelet", host: configuration.nodeName)
        let context = NodeContext(runtime: podRuntime, client: client, recorder: recorder, nodeIP: configuration.nodeIP,
                                  probes: .onRuntime(oci), logger: logger)
        let pods = Informer<Pod>(client: client, fieldSelector: podSelector, logger: logger)
        logger.notice("node agent running: node \(configuration.nodeName), IP \(configuration.nodeIP), pod CIDR \(podCIDR), runtime \(binary.path)")

        await cancelWhenGracefulShutdown {
            await self.runPods(pods, context: context, plan: plan, adoptedIPs: adoptedIPs,
                               recorder: recorder, heartbeats: heartbeats, facts: facts, podCIDR: podCIDR,
                               network: networkConfig)
        }
    }

    /// The informer, recorder and heartbeat, and one driver per pod, until cancelled.
    private func runPods(_ pods: Informer<Pod>, context: NodeContext, plan: AdoptionPlan, adoptedIPs: [String: String],
                         recorder: EventRecorder, heartbeats: NodeHeartbeat, facts: HostFacts, podCIDR: String,
                         network: PodNetworkConfig) async {
        await withDiscardingTaskGroup { group in
            group.addTask { await pods.run() }
            group.addTask { await recorder.run() }
            group.addTask {
                await NodeServices(client: self.client, node: .current, dnsAddress: PodFiles.clusterDNS,
                                   upstream: self.configuration.clusterDNSUpstream, proxyMode: self.configuration.proxyMode,
                                   logger: self.logger).run()
            }
            if self.configuration.proxyMode == .nftables {  // the routing guard forwards nothing: one node only
                group.addTask {
                    await NodePeerRoutes(client: self.client, routing: PeerRouting(network),
                                         nodeName: self.configuration.nodeName, nodeIP: self.configuration.nodeIP,
                                         clusterCIDR: network.clusterCIDR, logger: self.logger).run()
                }
            }
            if let streaming = self.configuration.streaming {
                group.addTask {
                    do {
                        try await NodeStreamingServer(configuration: streaming, backend: self,
                                                      logger: Logger(label: "skiff.node.streaming")).run()
                    } catch {
                        self.logger.error("the node's streaming server (kubectl logs, exec) stopped: \(error)")
                    }
                }
            }
            group.addTask { await self.heartbeat(heartbeats, facts: facts, podCIDR: podCIDR) }
            for await event in pods.subscribe() {
                switch event {
                case .added(let pod), .updated(_, let pod):
                    dispatch(pod, context: context, plan: plan, adoptedIPs: adoptedIPs, group: &group)
                case .deleted(let pod):
                    let driver = drivers.withLock { $0[pod.metadata?.uid ?? ""] }
                    driver?.deleted()
                }
            }
            group.cancelAll()
        }
    }

    private var podSelector: String { "spec.nodeName=\(configuration.nodeName)" }

    /// Hands the pod to its driver, starting one for a pod that is not terminal (or whose containers were
    /// adopted).
    private func dispatch(_ pod: Pod, context: NodeContext, plan: AdoptionPlan, adoptedIPs: [String: String],
                          group: inout DiscardingTaskGroup) {
        guard let uid = pod.metadata?.uid else { return }
        if let driver = drivers.withLock({ $0[uid] }) {
            driver.update(pod)
            return
        }
        let adopted = plan.adopt[uid]
        let terminal = pod.status?.phase == "Succeeded" || pod.status?.phase == "Failed"
        guard adopted != nil || !terminal else { return }
        let driver = PodDriver(pod: pod, context: context, adopted: adopted, adoptedPodIP: adoptedIPs[uid])
        drivers.withLock { $0[uid] = driver }
        group.addTask {
            await driver.run()
            _ = self.drivers.withLock { $0.removeValue(forKey: uid) }
        }
    }

    /// The registered Node; nil when graceful shutdown came first.
    private func register(facts: HostFacts, heartbeats: NodeHeartbeat) async throws -> Node? {
        var attempt = 0
        while !Task.isShuttingDownGracefully {
            do {
                let node = nodeObject(facts: facts, podCIDR: configuration.podCIDR)
                let stored = try await heartbeats.register(node)
                try await heartbeats.renewLease(configuration.nodeName)
                return stored
            } catch {
                if Task.isCancelled { throw CancellationError() }
                attempt += 1
                logger.warning("registering node \(configuration.nodeName) failed (attempt \(attempt)), retrying: \(error)")
                try await Task.sleep(for: .milliseconds(min(5_000, 100 << min(attempt, 6))))
            }
        }
        return nil
    }

    /// The node's pod network: the registered Node's, or — registered without one — the one the server's node
    /// IPAM controller assigns (polled until it is there); nil when graceful shutdown came first.
    private func assignedPodCIDR(_ registered: Node) async throws -> String? {
        var node = registered
        var waited = false
        while !Task.isShuttingDownGracefully {
            if let cidr = node.spec?.podCIDR, !cidr.isEmpty { return cidr }
            if !waited { logger.notice("node \(configuration.nodeName) waits for the server to assign its pod network") }
            waited = true
            try await Task.sleep(for: .milliseconds(200))
            if let stored = try? await client.get(Node.self, name: configuration.nodeName) { node = stored }
        }
        return nil
    }

    private func nodeObject(facts: HostFacts, podCIDR: String?) -> Node {
        NodeObject.build(name: configuration.nodeName, nodeIP: configuration.nodeIP, podCIDR: podCIDR, facts: facts,
                         runtimeVersion: "\(binary.kind.rawValue)://\(binary.path)", now: .now())
    }

    /// Renews the Lease every `leaseInterval`; posts the status every `statusInterval` and whenever the
    /// node is not Ready in the API (the lifecycle controller marked it so).
    private func heartbeat(_ heartbeats: NodeHeartbeat, facts: HostFacts, podCIDR: String) async {
        var lastStatus = ContinuousClock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.leaseInterval)
            do {
                try await heartbeats.renewLease(configuration.nodeName)
                let stored = try? await client.get(Node.self, name: configuration.nodeName)
                if ContinuousClock.now - lastStatus >= configuration.statusInterval || NodeHeartbeat.needsReadyRepost(stored) {
                    try await heartbeats.postStatus(nodeObject(facts: facts, podCIDR: podCIDR))
                    lastStatus = ContinuousClock.now
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("heartbeat of node \(configuration.nodeName) failed: \(error)")
            }
        }
    }
}
