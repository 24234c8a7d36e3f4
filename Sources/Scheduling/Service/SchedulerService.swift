import APIClient
import APIModel
import ControllerRuntime
import Foundation
import Logging
import Synchronization

/// kube-scheduler as a component: feeds the pod and node informers into the `Scheduler` state machine and
/// carries out its decisions through the API — a `pods/binding` per scheduled pod (many in flight at once),
/// and for a pod that fits nowhere a `PodScheduled=False` condition (reason `Unschedulable`) with the
/// `FitError` summary. It records `Scheduled` and `FailedScheduling` events as kube-scheduler does.
public final class SchedulerService: Sendable {
    public struct Configuration: Sendable {
        /// How many bindings may be in flight at once.
        public var maxBindingsInFlight: Int
        public var schedulerName: String

        public init(maxBindingsInFlight: Int = 64, schedulerName: String = "default-scheduler") {
            self.maxBindingsInFlight = maxBindingsInFlight
            self.schedulerName = schedulerName
        }
    }

    private let client: KubernetesClient
    private let pods: Informer<Pod>
    private let nodes: Informer<Node>
    private let recorder: EventRecorder
    private let configuration: Configuration
    private let logger: Logger
    private let state: Mutex<Scheduler<ContinuousClock.Instant>>
    private let wake = WakeSignal()

    public init(client: KubernetesClient, pods: Informer<Pod>, nodes: Informer<Node>,
                configuration: Configuration = .init(), logger: Logger = Logger(label: "skiff.scheduler")) {
        self.client = client
        self.pods = pods
        self.nodes = nodes
        self.configuration = configuration
        self.logger = logger
        self.recorder = EventRecorder(client: client, component: configuration.schedulerName, logger: logger)
        self.state = Mutex(Scheduler(schedulerName: configuration.schedulerName))
    }

    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.recorder.run() }
            group.addTask { await self.followNodes() }
            group.addTask { await self.followPods() }
            group.addTask {
                await self.nodes.waitForSync()
                await self.pods.waitForSync()
                await self.scheduleLoop()
            }
            await group.waitForAll()
        }
    }

    // MARK: Events

    private func followNodes() async {
        for await event in nodes.subscribe() {
            let now = ContinuousClock.now
            state.withLock { scheduler in
                switch event {
                case .added(let node): scheduler.nodeAdded(node, now: now)
                case .updated(let old, let node): scheduler.nodeUpdated(from: old, to: node, now: now)
                case .deleted(let node): scheduler.nodeDeleted(named: node.metadata?.name ?? "", now: now)
                }
            }
            wake.signal()
        }
    }

    private func followPods() async {
        for await event in pods.subscribe() {
            let now = ContinuousClock.now
            state.withLock { scheduler in
                switch event {
                case .added(let pod): scheduler.podAdded(pod, now: now)
                case .updated(let old, let pod): scheduler.podUpdated(from: old, to: pod, now: now)
                case .deleted(let pod): scheduler.podDeleted(pod, now: now)
                }
            }
            wake.signal()
        }
    }

    // MARK: Scheduling

    private func scheduleLoop() async {
        var generator = SplitMix64(seed: UInt64.random(in: 0...UInt64.max))
        await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            while !Task.isCancelled {
                let decision = state.withLock { $0.scheduleNext(now: .now, using: &generator) }
                switch decision {
                case .bind(let pod, let nodeName):
                    if inFlight >= configuration.maxBindingsInFlight {
                        await group.next()
                        inFlight -= 1
                    }
                    inFlight += 1
                    group.addTask { await self.bind(pod, to: nodeName) }
                case .unschedulable(let pod, let error):
                    if inFlight >= configuration.maxBindingsInFlight {
                        await group.next()
                        inFlight -= 1
                    }
                    inFlight += 1
                    group.addTask { await self.recordUnschedulable(pod, message: error.message) }
                case .wait(let until):
                    await wake.wait(until: until)
                }
            }
            group.cancelAll()
        }
    }

    private func bind(_ pod: Pod, to nodeName: String) async {
        let key = PodKey(pod)
        let binding: JSONValue = .object([
            "apiVersion": .string("v1"), "kind": .string("Binding"),
            "metadata": .object(["name": .string(key.name), "namespace": .string(key.namespace),
                                 "uid": .string(pod.metadata?.uid ?? "")]),
            "target": .object(["apiVersion": .string("v1"), "kind": .string("Node"), "name": .string(nodeName)]),
        ])
        let path = ResourcePath.pods.object(key.name, namespace: key.namespace) + "/binding"
        do {
            let response = try await client.request(method: "POST", path: path, body: binding.serialized())
            guard response.isSuccess else { throw KubernetesClientError(httpStatus: response.status, body: response.body) }
            state.withLock { $0.bindingSucceeded(key) }
            recorder.record(pod, type: .normal, reason: "Scheduled",
                            message: "Successfully assigned \(key.namespace)/\(key.name) to \(nodeName)")
        } catch {
            logger.debug("binding \(key) to \(nodeName) failed: \(error)")
            state.withLock { $0.bindingFailed(key, now: .now) }
            if let failure = error as? KubernetesClientError, !failure.isNotFound {
                recorder.record(pod, type: .warning, reason: "FailedScheduling", message: "Binding rejected: \(failure.message)")
            }
        }
        wake.signal()
    }

    /// Marks the pod unschedulable (PodScheduled False, reason Unschedulable) and records the failure.
    private func recordUnschedulable(_ pod: Pod, message: String) async {
        let key = PodKey(pod)
        recorder.record(pod, type: .warning, reason: "FailedScheduling", message: message)
        let current = pod.status?.conditions?.first { $0.type == "PodScheduled" }
        if current?.status == "False", current?.reason == "Unschedulable", current?.message == message { return }
        let patch: JSONValue = .object(["status": .object(["conditions": .array([.object([
            "type": .string("PodScheduled"), "status": .string("False"), "reason": .string("Unschedulable"), "message": .string(message),
            "lastProbeTime": .null, "lastTransitionTime": .string(Time.now().description),
        ])])])])
        let path = ResourcePath.pods.object(key.name, namespace: key.namespace) + "/status"
        do {
            _ = try await client.request(method: "PATCH", path: path, body: patch.serialized(),
                                         contentType: "application/strategic-merge-patch+json")
        } catch {
            logger.debug("marking \(key) unschedulable failed: \(error)")
        }
    }
}
