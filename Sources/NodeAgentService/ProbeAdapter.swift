import APIModel
import ContainerRuntime
import NodeAgent

/// Runs one probe attempt for the pod worker's `.runProbe`.
///
/// Until the lead's `NodeAgent.ProbeRunner` is merged, this adapter runs exec probes through the runtime
/// (`runc exec`) and answers other handlers with success; swap `run` for
/// `ProbeRunner(exec: …).run(probe, container:, containerID:, podIP:)` then.
struct ProbeAdapter: Sendable {
    let runtime: OCIRuntime

    func run(_ probe: Probe, container: Container, containerID: String, podIP: String) async -> ProbeOutcome {
        guard let command = probe.exec?.command else { return .success }
        do {
            let result = try await runtime.exec(id: containerID, command: command)
            if result.status.code == 0 { return .success }
            return .failure(output: String(decoding: result.stdout + result.stderr, as: UTF8.self))
        } catch {
            return .failure(output: "\(error)")
        }
    }
}
