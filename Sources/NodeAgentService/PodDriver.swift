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
    let probes: ProbeAdapter
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
    private let context: NodeContext
    private let adopted: AdoptionPlan.AdoptedPod?
    private let adoptedPodIP: String?
    private let events: AsyncStream<PodEvent>
    private let input: AsyncStream<PodEvent>.Continuation
    private let state: Mutex<State>

    private struct State {
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

    func run() async {
        let pod = state.withLock { $0.pod }
        var worker = PodWorker(pod: pod, hostIP: context.nodeIP, now: Date())
        if adopted != nil { worker.restoreHistory(from: pod.status) }
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

    private func createSandbox(_ pod: Pod, group: inout DiscardingTaskGroup) async {
        if let adopted, state.withLock({ $0.sandboxAdoptable }) {
            state.withLock { $0.sandboxAdoptable = false }
            let hostNetwork = pod.spec?.hostNetwork ?? false
            let podIP = hostNetwork ? context.nodeIP : adoptedPodIP ?? pod.status?.podIP ?? ""
            if !podIP.isEmpty, context.runtime.runtime.adopt(id: adopted.sandboxID, pid: adopted.sandboxPID,
                                                             cgroupsPath: adopted.sandboxCgroupsPath) {
                let directory = context.runtime.volumes.podDirectory(uid) + "/etc"
                let sandbox = SandboxHandle(containerID: adopted.sandboxID, pid: adopted.sandboxPID, podIP: podIP,
                                            hostsFile: directory + "/etc-hosts", hostnameFile: directory + "/hostname",
                                            resolvConf: directory + "/resolv.conf", hostNetwork: hostNetwork)
                state.withLock { $0.sandbox = sandbox }
                input.yield(.sandboxReady(podIPs: [podIP]))
                watch(sandbox, group: &group)
                return
            }
            // The sandbox ended meanwhile: start over with a new one.
            state.withLock { $0.adoptedLeft = [:] }
            await context.runtime.remove(containerID: adopted.sandboxID)
            await context.runtime.releaseNetwork(podUID: uid)
        }
        // A sandbox that died (see `watch`) goes first: its pause container and its network.
        if let dead = state.withLock({ state -> SandboxHandle? in
            defer { state.sandbox = nil }
            return state.sandbox
        }) {
            await context.runtime.tearDownSandbox(podUID: uid, sandbox: dead, keepVolumes: true)
        }
        do {
            let sandbox = try await context.runtime.createSandbox(pod)
            state.withLock { $0.sandbox = sandbox }
            input.yield(.sandboxReady(podIPs: [sandbox.podIP]))
            watch(sandbox, group: &group)
        } catch {
            context.logger.warning("creating the sandbox of pod \(uid) failed: \(error)")
            input.yield(.sandboxFailed(message: "\(error)"))
        }
    }

    /// Waits for the sandbox's pause process to end. When it ends on its own (not torn down: the driver's
    /// sandbox is still this one), the pod's namespaces are gone: the worker is told the sandbox failed (it
    /// creates a new one after its retry period), and every container still running is stopped at once, so
    /// they restart, as their restart policy says, in the new sandbox (as the kubelet does when a sandbox dies).
    private func watch(_ sandbox: SandboxHandle, group: inout DiscardingTaskGroup) {
        let runtime = context.runtime
        group.addTask {
            guard (try? await runtime.runtime.wait(id: sandbox.containerID)) != nil,
                  self.state.withLock({ $0.sandbox?.containerID == sandbox.containerID }) else { return }
            self.context.logger.warning("the sandbox of pod \(self.uid) exited; stopping its containers")
            self.input.yield(.sandboxFailed(message: "the pod sandbox (pause container) exited"))
            for container in self.state.withLock({ Array($0.containers.values) }) {
                _ = try? await runtime.runtime.stop(id: container.containerID, grace: .zero)
            }
        }
    }

    private func pull(_ image: String, for pod: Pod) async {
        let credentials = await PodSources.pullCredentials(for: pod, client: context.client)
        let started = ContinuousClock.now
        do {
            let record = try await context.runtime.images.pull(reference: image, credentials: credentials, policy: .always)
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            input.yield(.imagePulled(image: image, sizeBytes: record.size, seconds: seconds))
        } catch {
            input.yield(.imagePullFailed(image: image, message: "\(error)"))
        }
    }

    private func startContainer(_ name: String, of pod: Pod, worker: PodWorker,
                                group: inout DiscardingTaskGroup) async {
        let runtime = context.runtime
        if let adoptedContainer = state.withLock({ $0.adoptedLeft.removeValue(forKey: name) }),
           runtime.runtime.adopt(id: adoptedContainer.id, pid: adoptedContainer.pid,
                                 cgroupsPath: adoptedContainer.labels.cgroupsPath) {
            let labels = adoptedContainer.labels
            let container = RunningContainer(name: name, containerID: adoptedContainer.id,
                                             logPath: labels.logPath ?? "", restartCount: labels.restartCount)
            started(container, at: labels.startedAt ?? Date(), adopted: true, group: &group)
            return
        }
        guard let declared = Self.spec(of: name, in: pod), let sandbox = state.withLock({ $0.sandbox }) else {
            input.yield(.containerCreateFailed(name: name, message: "the pod's sandbox is not running"))
            return
        }
        let restartCount = Int(worker.lastStatus.flatMap { status in
            ((status.initContainerStatuses ?? []) + (status.containerStatuses ?? [])).first { $0.name == name }
        }?.restartCount ?? 0)
        do {
            let sources = await PodSources.fetch(for: pod, client: context.client)
            let prepared = try runtime.volumes.prepare(pod, sources: sources.volumeSources)
            let spec = EnvironmentValues.expandingEnvFrom(declared, configMaps: sources.configMaps,
                                                          secrets: sources.secrets)
            let env = EnvironmentValues.resolve(spec, pod: pod, podIP: sandbox.podIP, hostIP: context.nodeIP,
                                                configMaps: sources.configMaps, secrets: sources.secrets)
            let (container, startedAt) = try await runtime.startContainer(
                spec, of: pod, in: sandbox, restartCount: restartCount, mounts: prepared.mounts[name] ?? [], env: env)
            started(container, at: startedAt, adopted: false, group: &group)
        } catch {
            context.logger.warning("starting container \(name) of pod \(uid) failed: \(error)")
            input.yield(.containerCreateFailed(name: name, message: "\(error)"))
        }
    }

    /// Reports a running container to the worker and waits for its exit in a child task; an ended container
    /// is deleted (its log stays) before the worker hears of it.
    private func started(_ container: RunningContainer, at startedAt: Date, adopted: Bool,
                         group: inout DiscardingTaskGroup) {
        state.withLock { $0.containers[container.name] = container }
        input.yield(.containerCreated(name: container.name, containerID: context.runtime.scheme + container.containerID))
        input.yield(.containerStarted(name: container.name, startedAt: startedAt))
        let runtime = context.runtime
        group.addTask {
            guard let status = try? await runtime.runtime.wait(id: container.containerID) else { return }
            let finishedAt = Date()
            await runtime.remove(containerID: container.containerID)
            self.input.yield(.containerExited(name: container.name,
                                              ExitMapping.exit(status, adopted: adopted, finishedAt: finishedAt)))
        }
    }

    private func writeStatus(_ status: PodStatus, of pod: Pod) async {
        let images = context.runtime.images
        let status = ImageIDs.fill(status) { image in (try? images.resolve(reference: image))?.digestReference }
        do {
            let patch: JSONValue = .object(["status": try JSONValue(parsing: try ModelJSON.encode(status))])
            let response = try await context.client.request(
                method: "PATCH",
                path: ResourcePath.pods.object(pod.metadata?.name ?? "", namespace: pod.metadata?.namespace) + "/status",
                body: patch.serialized(), contentType: "application/merge-patch+json")
            if !response.isSuccess, response.status != 404 {
                context.logger.warning("writing the status of pod \(uid) failed: HTTP \(response.status)")
            }
        } catch {
            context.logger.warning("writing the status of pod \(uid) failed: \(error)")
        }
    }

    private func finishDeletion(_ pod: Pod) async {
        do {
            let body = try ModelJSON.encode(DeleteOptions(gracePeriodSeconds: 0, preconditions: Preconditions(uid: uid)))
            let response = try await context.client.request(
                method: "DELETE", path: ResourcePath.pods.object(pod.metadata?.name ?? "", namespace: pod.metadata?.namespace),
                body: body)
            if !response.isSuccess, response.status != 404, response.status != 409 {
                context.logger.warning("finishing the deletion of pod \(uid) failed: HTTP \(response.status)")
            }
        } catch {
            context.logger.warning("finishing the deletion of pod \(uid) failed: \(error)")
        }
    }

    static func spec(of name: String, in pod: Pod) -> Container? {
        ((pod.spec?.initContainers ?? []) + (pod.spec?.containers ?? [])).first { $0.name == name }
    }
}
