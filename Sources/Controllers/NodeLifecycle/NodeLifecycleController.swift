import APIClient
import APIModel
import ControllerRuntime
import Foundation
import Logging

/// Kubernetes' node lifecycle controller with taint-based eviction and the pod garbage collection of
/// deleted nodes:
/// - every `monitorPeriod`, a node silent for longer than `gracePeriod` (no Lease renewal, no Ready
///   heartbeat) gets all its conditions Unknown (`NodeStatusUnknown`) and a `NodeNotReady` event;
/// - a node's taints follow its Ready condition (`NodeHealth.taints`): `unreachable` / `not-ready` with
///   NoSchedule and NoExecute, removed when it is Ready again;
/// - pods on nodes with NoExecute taints are deleted as `TaintEviction` decides (pods get 300 s tolerations
///   of both taints by default, so they go five minutes after their node);
/// - pods bound to a node that was deleted are deleted at once (grace period 0).
public final class NodeLifecycleController: Sendable {
    public struct Configuration: Sendable {
        public var monitorPeriod: Duration
        public var gracePeriod: Duration

        public init(monitorPeriod: Duration = .seconds(5), gracePeriod: Duration = .seconds(40)) {
            self.monitorPeriod = monitorPeriod
            self.gracePeriod = gracePeriod
        }
    }

    private let client: KubernetesClient
    private let nodes: Informer<Node>
    private let leases: Informer<Lease>
    private let pods: Informer<Pod>
    private let recorder: EventRecorder
    private let configuration: Configuration
    private let logger: Logger

    public init(client: KubernetesClient, nodes: Informer<Node>, pods: Informer<Pod>, configuration: Configuration = .init(),
                logger: Logger = Logger(label: "skiff.node-lifecycle")) {
        self.client = client
        self.nodes = nodes
        self.pods = pods
        self.leases = Informer(client: client, namespace: "kube-node-lease", logger: logger)
        self.recorder = EventRecorder(client: client, component: "node-controller", logger: logger)
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.leases.run() }
            group.addTask { await self.recorder.run() }
            group.addTask { await self.collectPodsOfDeletedNodes() }
            group.addTask {
                await self.nodes.waitForSync()
                await self.leases.waitForSync()
                await self.pods.waitForSync()
                while !Task.isCancelled {
                    await self.monitor()
                    try? await Task.sleep(for: self.configuration.monitorPeriod)
                }
            }
            await group.waitForAll()
        }
    }

    /// One pass over every node.
    func monitor() async {
        let now = Date()
        let grace = TimeInterval(configuration.gracePeriod.components.seconds)
        var podsByNode = LazyPodsByNode(pods)
        for node in nodes.list() {
            let name = node.metadata?.name ?? ""
            do {
                var node = node
                if let conditions = NodeHealth.staleConditions(node, lease: leases.get(namespace: "kube-node-lease", name: name),
                                                               now: now, gracePeriod: grace) {
                    node = try await patchStatus(name, conditions: conditions)
                    recorder.record(node, type: .normal, reason: "NodeNotReady", message: "Node \(name) status is now: NodeNotReady")
                    logger.info("node \(name) stopped posting status; marked Unknown")
                }
                if let taints = NodeHealth.taints(node, now: now) {
                    node = try await patchTaints(name, taints: taints)
                }
                try await evict(from: node, now: now, podsByNode: &podsByNode)
            } catch {
                logger.debug("node \(name): \(error)")
            }
        }
    }

    private func patchStatus(_ name: String, conditions: [NodeCondition]) async throws -> Node {
        let patch: JSONValue = .object(["status": .object(["conditions": try JSONValue(parsing: ModelJSON.encode(conditions))])])
        let response = try await client.request(method: "PATCH", path: ResourcePath.nodes.object(name) + "/status",
                                                body: patch.serialized(), contentType: "application/merge-patch+json")
        guard response.isSuccess else { throw KubernetesClientError(httpStatus: response.status, body: response.body) }
        return try ModelJSON.decode(Node.self, from: response.body)
    }

    private func patchTaints(_ name: String, taints: [Taint]) async throws -> Node {
        let patch: JSONValue = .object(["spec": .object(["taints": try JSONValue(parsing: ModelJSON.encode(taints))])])
        return try await client.patch(Node.self, name: name, mergePatch: patch.serialized())
    }

    /// Deletes the node's pods that its NoExecute taints no longer let stay.
    private func evict(from node: Node, now: Date, podsByNode: inout LazyPodsByNode) async throws {
        let taints = (node.spec?.taints ?? []).filter { $0.effect == "NoExecute" }
        guard !taints.isEmpty, let name = node.metadata?.name else { return }
        for pod in podsByNode.pods(on: name) where pod.metadata?.deletionTimestamp == nil {
            guard TaintEviction.verdict(pod, taints: taints, now: now) == .evictNow else { continue }
            do {
                try await client.delete(Pod.self, name: pod.metadata?.name ?? "", namespace: pod.metadata?.namespace)
                recorder.record(pod, type: .normal, reason: "TaintManagerEviction",
                                message: "Marking for deletion Pod \(pod.metadata?.namespace ?? "")/\(pod.metadata?.name ?? "")")
            } catch let error as KubernetesClientError where error.isNotFound {
                continue
            }
        }
    }

    /// Pod garbage collection: the pods of a deleted node can never be finished by it, so they go at once.
    private func collectPodsOfDeletedNodes() async {
        for await event in nodes.subscribe() {
            guard case .deleted(let node) = event, let name = node.metadata?.name else { continue }
            for pod in pods.list(where: { $0.spec?.nodeName == name }) {
                do {
                    _ = try await client.delete(name: pod.metadata?.name ?? "", namespace: pod.metadata?.namespace,
                                                resource: .pods, gracePeriodSeconds: 0)
                } catch {
                    logger.debug("pod \(pod.metadata?.name ?? "") of deleted node \(name): \(error)")
                }
            }
        }
    }
}

/// The pods of each node, grouped from one listing of the pod informer the first time a monitor pass asks
/// (a pass over thousands of tainted nodes would otherwise scan every pod once per node).
struct LazyPodsByNode {
    private let informer: Informer<Pod>
    private var groups: [String: [Pod]]?

    init(_ informer: Informer<Pod>) {
        self.informer = informer
    }

    mutating func pods(on node: String) -> [Pod] {
        if groups == nil {
            groups = Dictionary(grouping: informer.list(), by: { $0.spec?.nodeName ?? "" })
        }
        return groups?[node] ?? []
    }
}
