import APIClient
import APIModel
import ContainerRuntime
import ControllerRuntime
import Foundation
import Logging
import NodeAgent
import Synchronization

/// What every pod driver of a node shares.
struct NodeContext: Sendable {
    let runtime: PodRuntime
    let client: KubernetesClient
    let recorder: EventRecorder
    let nodeIP: String
    let probes: ProbeRunner
    let logger: Logger
}

/// Runs one pod: feeds its `PodWorker` the pod's updates and the node's answers, and carries out the worker's
/// `PodAction`s. Quick actions (sandbox, image lookups, creating containers, status, events, tear-down) run
/// in order in the driver's loop; slow ones (pulls, stops with their grace period, probes, wakes) and the
/// wait for each container's exit are child tasks of `run()` that answer with events.
///
/// Contract: `run()` returns once the worker finished the pod's deletion, or when cancelled (containers then
/// keep running, for the next agent to adopt). `update` and `deleted` may be called from any task.
final class PodDriver: Sendable {
    let uid: String
    let namespace: String
    let name: String
    let context: NodeContext
    let adopted: AdoptionPlan.AdoptedPod?
    let adoptedPodIP: String?
    private let events: AsyncStream<PodEvent>
    let input: AsyncStream<PodEvent>.Continuation
    let state: Mutex<State>

    struct State {
        var pod: Pod
        var sandbox: SandboxHandle?
        var containers: [String: RunningContainer] = [:]
        /// Adopted containers not yet reported to the worker, by name.
        var adoptedLeft: [String: AdoptionPlan.AdoptedContainer]
        var sandboxAdoptable: Bool
    }

    init(pod: Pod, context: NodeContext, adopted: AdoptionPlan.AdoptedPod? = nil, adoptedPodIP: String? = nil) {
        uid = pod.metadata?.uid ?? ""
        namespace = pod.metadata?.namespace ?? ""
        name = pod.metadata?.name ?? ""
        self.context = context
        self.adopted = adopted
        self.adoptedPodIP = adoptedPodIP
        (events, input) = AsyncStream<PodEvent>.makeStream()
        state = Mutex(State(pod: pod, adoptedLeft: adopted?.containers ?? [:], sandboxAdoptable: adopted != nil))
        input.yield(.podUpdated(pod))
    }

    /// The pod as the API has it now.
    func update(_ pod: Pod) {
        state.withLock { $0.pod = pod }
        input.yield(.podUpdated(pod))
    }

    /// The pod is gone from the API: stop everything at once.
    func deleted() {
        input.yield(.deletionRequested(gracePeriodSeconds: 0))
    }

    /// The pod's containers as last started (also ended ones, whose logs stay).
    func containers() -> [RunningContainer] {
        state.withLock { Array($0.containers.values) }.sorted { $0.name < $1.name }
    }

    /// The pod as last seen in the API and the containers started so far (for `kubectl logs` and `exec`).
    func snapshot() -> (pod: Pod, containers: [String: RunningContainer]) {
        state.withLock { ($0.pod, $0.containers) }
    }

    /// The pod's sandbox while it has one (for `kubectl port-forward`).
    func sandbox() -> SandboxHandle? {
        state.withLock { $0.sandbox }
    }

    func run() async {
        let pod = state.withLock { $0.pod }
        var worker = PodWorker(pod: pod, hostIP: context.nodeIP, now: Date())
        // Restart counts and last states carry over from the API for pods that ran before this agent started
        // (adopted or not); a new pod has none.
        worker.restoreHistory(from: pod.status)
        await withDiscardingTaskGroup { group in
            for await event in events {
                let actions = worker.on(event, now: Date())
                for action in actions {
                    await perform(action, worker: worker, group: &group)
                }
                if worker.finished { break }
            }
            group.cancelAll()
        }
        input.finish()
    }

    // MARK: Actions

    private func perform(_ action: PodAction, worker: PodWorker, group: inout DiscardingTaskGroup) async {
        let pod = state.withLock { $0.pod }
        switch action {
        case .createSandbox:
            await createSandbox(pod, group: &group)
        case .inspectImage(let image):
            let present = (try? context.runtime.images.resolve(reference: image)) != nil
            input.yield(.imageInspected(image: image, present: present))
        case .pullImage(let image):
            group.addTask { await self.pull(image, for: pod) }
        case .createAndStartContainer(let name):
            await startContainer(name, of: pod, worker: worker, group: &group)
        case .killContainer(let name, let grace):
            guard let container = state.withLock({ $0.containers[name] }) else {
                input.yield(.containerExited(name: name, ContainerExit(exitCode: 137, finishedAt: Date())))
                return
            }
            group.addTask {
                _ = try? await self.context.runtime.runtime.stop(id: container.containerID, grace: .seconds(grace))
            }
        case .runProbe(let name, let kind, let probe):
            guard let container = state.withLock({ $0.containers[name] }),
                  let spec = Self.spec(of: name, in: pod) else { return }
            let podIP = state.withLock { $0.sandbox?.podIP } ?? ""
            group.addTask {
                let outcome = await self.context.probes.run(probe, container: spec, containerID: container.containerID,
                                                            podIP: podIP)
                self.input.yield(.probeResult(container: name, kind, outcome))
            }
        case .wake(let date):
            group.addTask {
                try? await Task.sleep(for: .milliseconds(max(0, Int64(date.timeIntervalSinceNow * 1000)) + 5))
                self.input.yield(.tick)
            }
        case .tearDownSandbox:
            let sandbox = state.withLock { state -> SandboxHandle? in
                defer { state.sandbox = nil }
                return state.sandbox
            }
            await context.runtime.tearDownSandbox(podUID: uid, sandbox: sandbox)
        case .writeStatus(let status):
            await writeStatus(status, of: pod)
        case .recordEvent(let event):
            var reference = EventRecorder.reference(pod)
            reference.fieldPath = event.fieldPath
            context.recorder.record(reference, type: event.type == .normal ? .normal : .warning,
                                    reason: event.reason, message: event.message)
        case .finishDeletion:
            await finishDeletion(pod)
        }
    }

    static func spec(of name: String, in pod: Pod) -> Container? {
        ((pod.spec?.initContainers ?? []) + (pod.spec?.containers ?? [])).first { $0.name == name }
    }
}
