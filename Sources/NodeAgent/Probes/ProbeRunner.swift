import APIModel
import Foundation

/// Carries out one probe attempt the way the kubelet's prober does, and answers with a `ProbeOutcome` for the
/// pod worker (`PodEvent.probeResult`).
///
/// Contract:
/// - `exec`: runs the command in the container through the injected `exec` (the runtime's `runc exec`); exit code
///   0 is success, any other a failure whose output is the command's output. Past `timeoutSeconds` (default 1)
///   the attempt fails with `command "…" timed out`.
/// - `httpGet`: a GET to `scheme://host:port/path` (host defaults to the pod IP; HTTPS is not verified, as the
///   kubelet does), with `User-Agent: kube-probe/1.32`, `Accept: */*` and the probe's headers; redirects are
///   followed. Status 200–399 is success; otherwise `HTTP probe failed with statuscode: N`.
/// - `tcpSocket`: success when a TCP connection opens within the timeout.
/// - Named ports resolve against the container's ports (`couldn't find port: … in …` otherwise).
/// - gRPC probes fail with a message saying Skiff does not run them.
/// Network errors read as Go's do (`dial tcp 10.42.0.5:80: connect: connection refused`), because users compare
/// them with what Kubernetes prints in Unhealthy events.
public struct ProbeRunner: Sendable {
    /// Runs a command in a container: `(containerID, command, timeout) -> (exitCode, output)`.
    public typealias Exec = @Sendable (_ containerID: String, _ command: [String], _ timeout: Duration) async throws
        -> (exitCode: Int32, output: String)

    let exec: Exec

    public init(exec: @escaping Exec) {
        self.exec = exec
    }

    /// One attempt of `probe` against `container` (running as `containerID` in the pod with `podIP`).
    public func run(_ probe: Probe, container: Container, containerID: String, podIP: String) async -> ProbeOutcome {
        let timeout = Duration.seconds(max(1, Int(probe.timeoutSeconds ?? 1)))
        if let action = probe.exec {
            return await runExec(command: action.command ?? [], containerID: containerID, timeout: timeout)
        }
        if let action = probe.httpGet {
            let port: Int
            switch ProbePort.resolve(action.port, in: container) {
            case .success(let number): port = number
            case .failure(let message): return .failure(output: message)
            }
            let target = HTTPProbeTarget(scheme: action.scheme ?? "HTTP", host: nonEmpty(action.host) ?? podIP,
                                         port: port, path: action.path ?? "",
                                         headers: (action.httpHeaders ?? []).map { ($0.name ?? "", $0.value ?? "") })
            return await HTTPProber.probe(target, timeout: timeout)
        }
        if let action = probe.tcpSocket {
            switch ProbePort.resolve(action.port, in: container) {
            case .success(let port):
                return await TCPProber.probe(host: nonEmpty(action.host) ?? podIP, port: port, timeout: timeout)
            case .failure(let message):
                return .failure(output: message)
            }
        }
        if probe.grpc != nil {
            return .failure(output: "gRPC probes are not supported by this node agent")
        }
        return .failure(output: "missing probe handler for \(container.name ?? "")")
    }

    private func runExec(command: [String], containerID: String, timeout: Duration) async -> ProbeOutcome {
        let exec = self.exec
        let result: (exitCode: Int32, output: String)?
        do {
            result = try await withThrowingTaskGroup(of: (exitCode: Int32, output: String)?.self) { group in
                group.addTask { try await exec(containerID, command, timeout) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
            }
        } catch {
            return .failure(output: "\(error)")
        }
        guard let result else {
            return .failure(output: "command \(GoQuote.quote(command.joined(separator: " "))) timed out")
        }
        return result.exitCode == 0 ? .success : .failure(output: result.output)
    }

    private func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}

/// A probe's port: a number, or the name of one of the container's ports.
enum ProbePort {
    enum Resolution: Equatable {
        case success(Int)
        case failure(String)
    }

    static func resolve(_ port: IntOrString?, in container: Container) -> Resolution {
        switch port {
        case .int(let number)?:
            return (1...65535).contains(number) ? .success(Int(number)) : .failure("invalid port number: \(number)")
        case .string(let text)?:
            if let number = Int32(text) { return resolve(.int(number), in: container) }
            if let match = (container.ports ?? []).first(where: { $0.name == text }), let number = match.containerPort {
                return .success(Int(number))
            }
            let ports = (container.ports ?? []).map { "{\($0.name ?? "") \($0.hostPort ?? 0) \($0.containerPort ?? 0) \($0.protocol ?? "TCP") \($0.hostIP ?? "")}" }
            return .failure("couldn't find port: \(text) in [\(ports.joined(separator: " "))]")
        case nil:
            return .failure("invalid port number: 0")
        }
    }
}

/// Go's `%q` of a string, enough for the probe messages (quotes and backslashes escaped).
enum GoQuote {
    static func quote(_ text: String) -> String {
        var out = "\""
        for character in text {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.append(character)
            }
        }
        return out + "\""
    }
}
