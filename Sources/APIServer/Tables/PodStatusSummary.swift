import APIModel

/// What `kubectl get pods` shows of a pod's containers: how many are ready, the one-word status (`Running`,
/// `Init:0/2`, `CrashLoopBackOff`, `Completed`, `Terminating`, …) and the restart count, computed the way
/// Kubernetes 1.32's pod printer does.
///
/// The status starts as the phase, or `status.reason` when set (`Evicted`, `NodeLost`), or `SchedulingGated`
/// while a scheduling gate holds the pod. Then:
/// - the first init container still in the way decides it: `Init:<reason>` of a failed or waiting one,
///   `Init:Signal:9`/`Init:ExitCode:1` of one that failed without a reason, else `Init:<index>/<count>`.
///   Init containers that exited 0 are skipped, and so are started sidecars (init containers with
///   `restartPolicy: Always`), which count as containers and as ready when ready;
/// - once initialised, the first regular container with a waiting or terminated reason decides it
///   (`Signal:<n>`/`ExitCode:<n>` without a reason); a `Completed` pod with a ready running container reads
///   `Running` when the pod is Ready, else `NotReady`;
/// - a pod being deleted reads `Terminating` unless its phase is already `Succeeded` or `Failed`, and
///   `Unknown` when the node controller marked it `NodeLost`.
///
/// Restarts add up every container's restart count (only the sidecars' of the init containers once the
/// pod is initialised), and remember when the last restarted container last terminated.
struct PodStatusSummary {
    /// Containers (and started sidecars) that are ready.
    var readyContainers = 0
    /// Regular containers plus sidecars.
    var totalContainers = 0
    /// The `STATUS` text.
    var reason = ""
    /// The sum of restart counts that the `RESTARTS` column shows.
    var restarts = 0
    /// When the most recently restarted counted container last terminated, if known.
    var lastRestart: Time?

    /// The `status.reason` the node controller sets on pods of an unreachable node.
    static let nodeLostReason = "NodeLost"

    init(_ pod: Pod) {
        let spec = pod.spec
        let status = pod.status
        let phase = status?.phase ?? ""
        let conditions = status?.conditions ?? []

        reason = phase
        if let podReason = status?.reason, !podReason.isEmpty { reason = podReason }
        if conditions.contains(where: { $0.type == "PodScheduled" && $0.reason == "SchedulingGated" }) {
            reason = "SchedulingGated"
        }

        let initContainers = spec?.initContainers ?? []
        var initContainersByName: [String: Container] = [:]
        for container in initContainers { initContainersByName[container.name ?? ""] = container }
        totalContainers = (spec?.containers?.count ?? 0) + initContainers.filter(Self.isSidecar).count

        var sidecarRestarts = 0
        var lastSidecarRestart: Time?
        var initializing = false
        for (index, container) in (status?.initContainerStatuses ?? []).enumerated() {
            let finished = Self.lastTermination(of: container)
            restarts += Int(container.restartCount ?? 0)
            lastRestart = Self.later(lastRestart, finished)
            let isSidecar = initContainersByName[container.name ?? ""].map(Self.isSidecar) ?? false
            if isSidecar {
                sidecarRestarts += Int(container.restartCount ?? 0)
                lastSidecarRestart = Self.later(lastSidecarRestart, finished)
            }

            if let terminated = container.state?.terminated, (terminated.exitCode ?? 0) == 0 { continue }
            if isSidecar, container.started == true {
                if container.ready == true { readyContainers += 1 }
                continue
            }
            if let terminated = container.state?.terminated {
                reason = "Init:" + Self.terminationText(terminated)
            } else if let waiting = container.state?.waiting?.reason, !waiting.isEmpty, waiting != "PodInitializing" {
                reason = "Init:" + waiting
            } else {
                reason = "Init:\(index)/\(initContainers.count)"
            }
            initializing = true
            break
        }

        if !initializing || Self.isInitialized(conditions) {
            restarts = sidecarRestarts
            lastRestart = lastSidecarRestart
            var hasRunning = false
            for container in (status?.containerStatuses ?? []).reversed() {
                restarts += Int(container.restartCount ?? 0)
                lastRestart = Self.later(lastRestart, Self.lastTermination(of: container))
                if let waiting = container.state?.waiting?.reason, !waiting.isEmpty {
                    reason = waiting
                } else if let terminated = container.state?.terminated {
                    reason = Self.terminationText(terminated)
                } else if container.ready == true, container.state?.running != nil {
                    hasRunning = true
                    readyContainers += 1
                }
            }
            if reason == "Completed", hasRunning {
                let podReady = conditions.contains { $0.type == "Ready" && $0.status == "True" }
                reason = podReady ? "Running" : "NotReady"
            }
        }

        if pod.metadata?.deletionTimestamp != nil {
            if status?.reason == Self.nodeLostReason {
                reason = "Unknown"
            } else if phase != "Succeeded", phase != "Failed" {
                reason = "Terminating"
            }
        }
    }

    /// The `READY` text: `ready/total`.
    var readyText: String { "\(readyContainers)/\(totalContainers)" }

    /// The `RESTARTS` text: the count, followed by how long ago the last restart was (`3 (5m ago)`) when
    /// there were restarts and that time is known.
    func restartsText(now: Time) -> String {
        guard restarts != 0, let lastRestart else { return String(restarts) }
        return "\(restarts) (\(HumanDuration.age(of: lastRestart, now: now)) ago)"
    }

    /// Whether an init container is a sidecar: it restarts always, so it keeps running beside the others.
    private static func isSidecar(_ container: Container) -> Bool {
        container.restartPolicy == "Always"
    }

    /// Whether the pod's first `Initialized` condition is true.
    private static func isInitialized(_ conditions: [PodCondition]) -> Bool {
        conditions.first { $0.type == "Initialized" }?.status == "True"
    }

    /// When the container's previous run ended, if it ended.
    private static func lastTermination(of container: ContainerStatus) -> Time? {
        container.lastState?.terminated?.finishedAt
    }

    /// A termination's reason, or `Signal:<n>`, or `ExitCode:<n>`.
    private static func terminationText(_ terminated: ContainerStateTerminated) -> String {
        if let reason = terminated.reason, !reason.isEmpty { return reason }
        if let signal = terminated.signal, signal != 0 { return "Signal:\(signal)" }
        return "ExitCode:\(terminated.exitCode ?? 0)"
    }

    /// The later of two optional times.
    private static func later(_ a: Time?, _ b: Time?) -> Time? {
        guard let a else { return b }
        guard let b else { return a }
        return max(a, b)
    }
}
