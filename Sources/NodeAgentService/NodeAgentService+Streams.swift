import APIModel
import ContainerRuntime
import NodeStreaming

/// The agent as the backend of its node's streaming server: `kubectl logs` read the log files of the
/// containers its pod drivers started, `kubectl exec` runs through the OCI runtime, `kubectl port-forward`
/// connects to the pod's IP (routed to the pod's network namespace through the CNI bridge), or to the node's
/// loopback for a pod on the host network. Errors are worded as the kubelet's.
extension NodeAgentService: PodStreamBackend {
    public func containerLog(namespace: String, pod: String, container: String,
                             previous: Bool) async throws(PodStreamError) -> ContainerLogSource {
        let (driver, running) = try target(namespace: namespace, pod: pod, container: container)
        if previous {
            guard let path = driver.context.runtime.logLayout(driver.snapshot().pod)
                .previousLogPath(container: container, restartCount: running.restartCount) else {
                throw .previousNotFound(container: container, pod: pod)
            }
            return ContainerLogSource(path: path, hasExited: { true })
        }
        let id = running.containerID
        return ContainerLogSource(path: running.logPath, hasExited: {
            guard let current = driver.snapshot().containers[container] else { return true }
            return current.containerID != id || current.exited
        })
    }

    public func startExec(namespace: String, pod: String, container: String, command: [String],
                          stdin: Bool, tty: Bool) async throws(PodStreamError) -> any ExecSession {
        let (_, running) = try target(namespace: namespace, pod: pod, container: container)
        guard !running.exited, let runtime = containerRuntime else { throw .notRunning(container: container) }
        do {
            return try await runtime.startExec(id: running.containerID, command: command, stdin: stdin, tty: tty)
        } catch {
            throw .internalError("exec in \(container): \(error)")
        }
    }

    public func dialPort(namespace: String, pod: String, port: UInt16) async throws(PodStreamError) -> PodPortConnection {
        guard let driver = driver(namespace: namespace, name: pod) else { throw .podNotFound(namespace: namespace, pod: pod) }
        guard let sandbox = driver.sandbox(), !sandbox.podIP.isEmpty else {
            throw .podNotRunning(namespace: namespace, pod: pod)
        }
        let host = sandbox.hostNetwork ? "127.0.0.1" : sandbox.podIP
        do {
            return try await PodPortConnection.connect(host: host, port: Int(port))
        } catch {
            throw .portForwardFailed(port: port, pod: pod, uid: driver.snapshot().pod.metadata?.uid ?? "",
                                     reason: "\(error)")
        }
    }

    /// The pod's driver and the named container's latest instance, or the kubelet's errors.
    private func target(namespace: String, pod: String, container: String) throws(PodStreamError)
        -> (PodDriver, RunningContainer) {
        guard let driver = driver(namespace: namespace, name: pod) else { throw .podNotFound(namespace: namespace, pod: pod) }
        let (object, containers) = driver.snapshot()
        if let running = containers[container] { return (driver, running) }
        let declared = ((object.spec?.initContainers ?? []) + (object.spec?.containers ?? [])).contains { $0.name == container }
        guard declared else { throw .containerNotFound(container) }
        let waiting = (object.status?.initContainerStatuses ?? []) + (object.status?.containerStatuses ?? [])
        let reason = waiting.first { $0.name == container }?.state?.waiting?.reason ?? "ContainerCreating"
        throw .waitingToStart(container: container, pod: pod, reason: reason)
    }
}
