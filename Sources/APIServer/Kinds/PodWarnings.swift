import APIModel

/// The warnings Kubernetes returns for valid but suspicious pod specs (`pkg/api/pod/warnings.go`): container
/// ports defined twice, and a negative termination grace period (accepted, and treated as 1).
enum PodWarnings {
    static func pod(_ pod: Pod) -> [String] {
        spec(pod.spec, path: "spec")
    }

    /// For a workload's pod template.
    static func template(_ template: PodTemplateSpec?) -> [String] {
        spec(template?.spec, path: "spec.template.spec")
    }

    static func spec(_ spec: PodSpec?, path: String) -> [String] {
        guard let spec else { return [] }
        var warnings: [String] = []
        // Ports seen so far by `containerPort/protocol`, across init containers then containers.
        var seen: [String: [(field: String, port: ContainerPort)]] = [:]
        let lists = [("initContainers", spec.initContainers ?? []), ("containers", spec.containers ?? [])]
        for (list, containers) in lists {
            for (ci, container) in containers.enumerated() {
                for (pi, port) in (container.ports ?? []).enumerated() {
                    let field = "\(path).\(list)[\(ci)].ports[\(pi)]"
                    let key = "\(port.containerPort ?? 0)/\(port.protocol ?? "")"
                    for other in seen[key] ?? [] {
                        if let message = conflict(port, other.port) {
                            warnings.append("\(field): \(message) port definition with \(other.field)")
                        }
                    }
                    seen[key, default: []].append((field, port))
                }
            }
        }
        if let grace = spec.terminationGracePeriodSeconds, grace < 0 {
            warnings.append("\(path).terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1")
        }
        return warnings
    }

    /// How two definitions of the same container port and protocol clash, if they do.
    private static func conflict(_ a: ContainerPort, _ b: ContainerPort) -> String? {
        let (hostA, hostB) = (a.hostPort ?? 0, b.hostPort ?? 0)
        let (ipA, ipB) = (a.hostIP ?? "", b.hostIP ?? "")
        if ipA == ipB && hostA == hostB { return "duplicate" }
        if hostA == 0 || hostB == 0 { return "overlapping" }
        if hostA == hostB && (ipA.isEmpty != ipB.isEmpty) { return "dangerously ambiguous" }
        return nil
    }
}
