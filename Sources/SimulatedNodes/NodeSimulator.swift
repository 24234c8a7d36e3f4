import APIClient
import APIModel
import ControllerRuntime
import Foundation
import Logging
import Synchronization

/// Simulated nodes, like KWOK: nodes that register, heartbeat and run the pods bound to them through the
/// same API a real node agent uses, without touching the host. One simulator drives any number of nodes
/// with one pod informer and a pool of workers.
///
/// Each node: registers a `Node` (see `SimulatedNodeShape`); renews its Lease in `kube-node-lease` every
/// `leaseInterval`; re-posts its Ready condition when the node lifecycle controller marked it otherwise;
/// takes each pod bound to it through `SimulatedPodLifecycle` (IPs from its pod CIDR); and finishes graceful
/// deletions. `run()` runs until cancelled; the nodes stay registered (and go NotReady once their leases
/// expire), as a real node that stops.
public final class NodeSimulator: Sendable {
    public struct Configuration: Sendable {
        /// How many nodes, named `<namePrefix><index>` for index in `firstIndex..<firstIndex+count`.
        public var count: Int
        public var namePrefix: String
        public var firstIndex: Int
        public var shape: SimulatedNodeShape
        public var leaseInterval: Duration
        /// How many pods are worked on at once.
        public var workers: Int

        public init(count: Int, namePrefix: String = "sim-node-", firstIndex: Int = 0,
                    shape: SimulatedNodeShape = SimulatedNodeShape(), leaseInterval: Duration = .seconds(10),
                    workers: Int = 16) {
            self.count = count
            self.namePrefix = namePrefix
            self.firstIndex = firstIndex
            self.shape = shape
            self.leaseInterval = leaseInterval
            self.workers = workers
        }

        public func name(_ index: Int) -> String { "\(namePrefix)\(index)" }
    }

    private let client: KubernetesClient
    private let heartbeats: NodeHeartbeat
    private let configuration: Configuration
    private let logger: Logger
    private let pods: Informer<Pod>
    private let ownsPodInformer: Bool
    private let nodes: Informer<Node>
    private let queue = WorkQueue<ObjectKey>()
    /// Per node: its index and the pool of its pod addresses.
    private let pools: Mutex<[String: PodIPPool]>
    private let indexes: [String: Int]

    /// `pods`: a pod informer shared with other components in the process (the simulator then neither runs
    /// nor owns it); nil makes the simulator watch the bound pods itself.
    public init(client: KubernetesClient, configuration: Configuration, pods: Informer<Pod>? = nil,
                logger: Logger = Logger(label: "skiff.sim")) {
        self.client = client
        heartbeats = NodeHeartbeat(client: client)
        self.configuration = configuration
        self.logger = logger
        var indexes: [String: Int] = [:]
        var pools: [String: PodIPPool] = [:]
        for index in configuration.firstIndex..<(configuration.firstIndex + configuration.count) {
            let name = configuration.name(index)
            indexes[name] = index
            pools[name] = PodIPPool(cidr: SimulatedNodeShape.podCIDR(index: index))
        }
        self.indexes = indexes
        self.pools = Mutex(pools)
        ownsPodInformer = pods == nil
        self.pods = pods ?? Informer(client: client, fieldSelector: "spec.nodeName!=", logger: logger)
        nodes = Informer(client: client, labelSelector: SimulatedNodeShape.simulatedLabel, logger: logger)
    }

    /// The names of the simulated nodes.
    public var nodeNames: [String] { indexes.keys.sorted() }

    /// Registers the nodes (retrying until the API takes them), then simulates them until cancelled.
    public func run() async throws {
        var attempt = 0
        while true {
            do {
                try await register()
                break
            } catch {
                if Task.isCancelled { throw CancellationError() }
                attempt += 1
                logger.warning("registering simulated nodes failed (attempt \(attempt)), retrying: \(error)")
                try await Task.sleep(for: .milliseconds(min(5_000, 100 << min(attempt, 6))))
            }
        }
        await withTaskGroup(of: Void.self) { group in
            if ownsPodInformer { group.addTask { await self.pods.run() } }
            group.addTask { await self.nodes.run() }
            group.addTask { await self.queue.run() }
            group.addTask { await self.heartbeat() }
            group.addTask { await self.dispatch() }
            group.addTask {
                await self.queue.runWorkers(self.configuration.workers, sync: { try await self.handle($0) },
                                            failed: { key, error in self.logger.debug("simulated pod \(key) failed: \(error)") })
            }
            await group.waitForAll()
        }
    }

    // MARK: Nodes

    /// Creates the nodes (or re-posts the status of nodes registered before).
    private func register() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var started = 0
            for (name, index) in indexes {
                if started >= 16 { try await group.next() }
                started += 1
                group.addTask {
                    let node = self.configuration.shape.node(name: name, index: index, now: .now())
                    try await self.heartbeats.register(node)
                    try await self.heartbeats.renewLease(name)
                }
            }
            try await group.waitForAll()
        }
        logger.info("registered \(indexes.count) simulated nodes")
    }

    /// How many lease renewals may be in flight at once: a slow server must not stretch one pass over every
    /// node beyond the interval (a node whose lease is late goes NotReady).
    static let maxRenewalsInFlight = 32

    /// Renews every node's lease each interval, spread over the interval; re-posts the Ready condition of nodes
    /// that the lifecycle controller marked otherwise.
    private func heartbeat() async {
        let names = nodeNames
        while !Task.isCancelled {
            let started = ContinuousClock.now
            await withTaskGroup(of: Void.self) { group in
                var inFlight = 0
                for (i, name) in names.enumerated() {
                    if Task.isCancelled { break }
                    if inFlight >= Self.maxRenewalsInFlight {
                        await group.next()
                        inFlight -= 1
                    }
                    group.addTask { await self.heartbeat(of: name) }
                    inFlight += 1
                    let due = started + configuration.leaseInterval * (Double(i + 1) / Double(names.count))
                    try? await Task.sleep(until: due, clock: .continuous)
                }
                await group.waitForAll()
            }
        }
    }

    private func heartbeat(of name: String) async {
        do {
            try await heartbeats.renewLease(name)
            if let node = nodes.get(namespace: nil, name: name), NodeHeartbeat.needsReadyRepost(node) {
                let fresh = configuration.shape.node(name: name, index: indexes[name] ?? 0, now: .now())
                try await heartbeats.postStatus(fresh)
            }
        } catch {
            logger.debug("heartbeat of \(name) failed: \(error)")
        }
    }

    // MARK: Pods

    private func dispatch() async {
        for await event in pods.subscribe() {
            switch event {
            case .added(let pod), .updated(_, let pod):
                if isOurs(pod) { queue.add(ObjectKey(pod)) }
            case .deleted(let pod):
                if isOurs(pod), let uid = pod.metadata?.uid {
                    let node = pod.spec?.nodeName ?? ""
                    pools.withLock { $0[node]?.release(uid) }
                }
            }
        }
    }

    private func isOurs(_ pod: Pod) -> Bool {
        indexes[pod.spec?.nodeName ?? ""] != nil
    }


    private func handle(_ key: ObjectKey) async throws {
        guard let pod = pods.get(key), isOurs(pod), let uid = pod.metadata?.uid else { return }
        let node = pod.spec?.nodeName ?? ""
        let index = indexes[node] ?? 0
        guard let ip = pools.withLock({ $0[node]?.address(for: uid) }) else {
            logger.warning("node \(node) has no pod address left for \(key)")
            return
        }
        let decision = SimulatedPodLifecycle.decide(pod, podIP: ip, hostIP: SimulatedNodeShape.internalIP(index: index),
                                                    now: Date())
        if decision.finishDeletion {
            let body = try ModelJSON.encode(DeleteOptions(gracePeriodSeconds: 0, preconditions: Preconditions(uid: uid)))
            let response = try await client.request(method: "DELETE", path: ResourcePath.pods.object(key.name, namespace: key.namespace),
                                                    body: body)
            if !response.isSuccess && response.status != 404 && response.status != 409 {
                throw KubernetesClientError(httpStatus: response.status, body: response.body)
            }
            return
        }
        if let status = decision.status {
            let patch: JSONValue = .object(["status": try JSONValue(parsing: try ModelJSON.encode(status))])
            let response = try await client.request(
                method: "PATCH", path: ResourcePath.pods.object(key.name, namespace: key.namespace) + "/status",
                body: patch.serialized(), contentType: "application/merge-patch+json")
            if response.status == 404 { return }
            guard response.isSuccess else { throw KubernetesClientError(httpStatus: response.status, body: response.body) }
        }
        if let wake = decision.wake, decision.status == nil {
            queue.add(key, after: .seconds(max(0, wake.timeIntervalSinceNow)))
        }
    }
}
