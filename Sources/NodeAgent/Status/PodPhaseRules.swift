import APIModel

/// The pod phase from its container statuses, as the kubelet's `getPhase` computes it.
///
/// - An init container that failed under `restartPolicy: Never` fails the pod; one still to complete (or
///   failed and restarting) keeps it Pending, as does any app container waiting to run for the first time.
/// - Some app container running: Running.
/// - Every app container ended: Always → Running (restarting) unless the pod is terminal; all succeeded →
///   Succeeded; Never → Failed; OnFailure → Running (restarting the failed ones). A terminal pod (its
///   containers stopped for good, e.g. deleted) is Succeeded when every container succeeded, else Failed.
public enum PodPhaseRules {
    public static func phase(spec: PodSpec, initStatuses: [ContainerStatus], statuses: [ContainerStatus],
                             podIsTerminal: Bool) -> String {
        let policy = spec.restartPolicy ?? "Always"
        var pendingInit = 0, failedInit = 0
        for status in initStatuses {
            if let terminated = status.state?.terminated {
                if terminated.exitCode != 0 { failedInit += 1 }
            } else if status.state?.waiting != nil, let last = status.lastState?.terminated {
                if last.exitCode != 0 { failedInit += 1 }
            } else {
                pendingInit += 1
            }
        }
        if failedInit > 0, policy == "Never" { return "Failed" }

        var running = 0, waiting = 0, stopped = 0, succeeded = 0
        for status in statuses {
            if status.state?.running != nil {
                running += 1
            } else if let terminated = status.state?.terminated {
                stopped += 1
                if terminated.exitCode == 0 { succeeded += 1 }
            } else if status.lastState?.terminated != nil {
                stopped += 1
            } else {
                waiting += 1
            }
        }
        if podIsTerminal, running == 0 {
            return stopped > 0 && stopped == succeeded && waiting == 0 ? "Succeeded" : "Failed"
        }
        if pendingInit + failedInit > 0 || waiting > 0 { return "Pending" }
        if running > 0 { return "Running" }
        if stopped > 0 {
            if policy == "Always" { return "Running" }
            if stopped == succeeded { return "Succeeded" }
            if policy == "Never" { return "Failed" }
            return "Running"
        }
        return "Pending"
    }
}
