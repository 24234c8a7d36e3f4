import APIClient
import APIModel
import ContainerRuntime
import Foundation
import NodeAgent

/// Images and containers: pulls for `.pullImage`, starts (or adoptions) for `.createAndStartContainer`, and
/// the wait for each container's exit.
extension PodDriver {
    func pull(_ image: String, for pod: Pod) async {
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

    func startContainer(_ name: String, of pod: Pod, worker: PodWorker,
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
    func started(_ container: RunningContainer, at startedAt: Date, adopted: Bool,
                         group: inout DiscardingTaskGroup) {
        state.withLock { $0.containers[container.name] = container }
        input.yield(.containerCreated(name: container.name, containerID: context.runtime.scheme + container.containerID))
        input.yield(.containerStarted(name: container.name, startedAt: startedAt))
        let runtime = context.runtime
        group.addTask {
            guard let status = try? await runtime.runtime.wait(id: container.containerID) else { return }
            let finishedAt = Date()
            self.state.withLock { state in
                if state.containers[container.name]?.containerID == container.containerID {
                    state.containers[container.name]?.exited = true
                }
            }
            await runtime.remove(containerID: container.containerID)
            self.input.yield(.containerExited(name: container.name,
                                              ExitMapping.exit(status, adopted: adopted, finishedAt: finishedAt)))
        }
    }
}
