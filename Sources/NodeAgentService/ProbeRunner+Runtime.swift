import ContainerRuntime
import NodeAgent

extension ProbeRunner {
    /// The prober of a node whose exec probes run in the container through the OCI runtime (`runc exec`), and
    /// whose httpGet and tcpSocket probes connect from the agent's network namespace (the node's) to the pod IP.
    static func onRuntime(_ runtime: OCIRuntime) -> ProbeRunner {
        ProbeRunner { containerID, command, _ in
            let result = try await runtime.exec(id: containerID, command: command)
            return (result.status.code, String(decoding: result.stdout + result.stderr, as: UTF8.self))
        }
    }
}
