import APIModel

/// The pod conditions the kubelet owns (PodReadyToStartContainers, Initialized, ContainersReady, Ready), as
/// `pkg/kubelet/status/generate.go` words them, merged into the previous conditions: a condition whose status
/// did not change keeps its `lastTransitionTime`; conditions of other owners (PodScheduled, readiness gates)
/// are kept as they are. Ready also needs every readiness gate's condition True (`ReadinessGatesNotReady`).
public enum PodConditionRules {
    public static func conditions(previous: [PodCondition], sandboxReady: Bool, initStatuses: [ContainerStatus],
                                  statuses: [ContainerStatus], readinessGates: [String] = [], phase: String,
                                  now: Time) -> [PodCondition] {
        let incomplete = initStatuses.filter { $0.state?.terminated?.exitCode != 0 }.compactMap(\.name)
        let unready = statuses.filter { $0.ready != true }.compactMap(\.name)
        let completed = phase == "Succeeded"

        let readiness: (status: Bool, reason: String?, message: String?)
        if completed {
            readiness = (false, "PodCompleted", nil)
        } else if !unready.isEmpty {
            readiness = (false, "ContainersNotReady", "containers with unready status: \(list(unready))")
        } else {
            readiness = (true, nil, nil)
        }
        let gateProblems = readinessGates.compactMap { gate -> String? in
            guard let condition = previous.first(where: { $0.type == gate }) else {
                return "corresponding condition of pod readiness gate \"\(gate)\" does not exist."
            }
            let status = condition.status ?? ""
            return status == "True" ? nil : "the status of pod readiness gate \"\(gate)\" is not \"True\", but \(status)"
        }
        let podReadiness = readiness.status && !gateProblems.isEmpty
            ? (false, "ReadinessGatesNotReady", gateProblems.joined(separator: ", ")) : readiness
        let initialized: (status: Bool, reason: String?, message: String?) =
            incomplete.isEmpty || completed
            ? (true, completed && !incomplete.isEmpty ? "PodCompleted" : nil, nil)
            : (false, "ContainersNotInitialized", "containers with incomplete status: \(list(incomplete))")

        let owned: [(String, (status: Bool, reason: String?, message: String?))] = [
            ("PodReadyToStartContainers", (sandboxReady, nil, nil)),
            ("Initialized", initialized),
            ("Ready", podReadiness),
            ("ContainersReady", readiness),
        ]
        var result = previous.filter { condition in !owned.contains { $0.0 == condition.type } }
        for (type, value) in owned {
            let status = value.status ? "True" : "False"
            let before = previous.first { $0.type == type }
            let transition = before?.status == status ? (before?.lastTransitionTime ?? now) : now
            result.append(PodCondition(lastTransitionTime: transition, message: value.message, reason: value.reason,
                                       status: status, type: type))
        }
        return result
    }

    /// The condition types the kubelet writes.
    public static let ownedTypes: Set<String> = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady"]

    /// Go's `%s` of a string slice: `[a b]`.
    private static func list(_ names: [String]) -> String { "[\(names.joined(separator: " "))]" }
}
