import APIClient
import APIModel
import ContainerRuntime
import Foundation
import NodeAgent

/// The pod's sandbox: created (or adopted) for `.createSandbox`, watched until it ends.
extension PodDriver {
    func createSandbox(_ pod: Pod, group: inout DiscardingTaskGroup) async {
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
    func watch(_ sandbox: SandboxHandle, group: inout DiscardingTaskGroup) {
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
}
