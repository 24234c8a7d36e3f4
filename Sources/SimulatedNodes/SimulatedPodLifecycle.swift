import APIModel
import Foundation

/// What a simulated node does with one of its pods, as pure logic: given the pod as last seen and the time,
/// the status to write next (if any), when to look at the pod again, and whether to finish its deletion.
///
/// The course of a pod: bound → Pending with every container Waiting `ContainerCreating` (and its IP) →
/// Running with every container Running (`startedAt`) and Ready. Init containers complete at once.
/// A pod annotated `sim.skiff.dev/exit-code: "<n>"` has its containers exit with that code
/// `sim.skiff.dev/run-seconds` (default 1) after starting; then `restartPolicy` decides: Never (and
/// OnFailure with code 0) ends the pod Succeeded or Failed; otherwise the containers wait in
/// `CrashLoopBackOff` (10 s, doubling to 5 min, as the kubelet) and start again with `restartCount` + 1.
/// A pod being deleted is finished at once (simulated containers stop instantly).
public enum SimulatedPodLifecycle {
    public static let exitCodeAnnotation = "sim.skiff.dev/exit-code"
    public static let runSecondsAnnotation = "sim.skiff.dev/run-seconds"

    public struct Decision: Sendable, Equatable {
        /// The status to write, if it changes.
        public var status: PodStatus?
        /// When to decide again (nil: only when the pod changes).
        public var wake: Date?
        /// Delete the pod now with a grace period of 0.
        public var finishDeletion: Bool

        public static let nothing = Decision(status: nil, wake: nil, finishDeletion: false)
    }

    public static func decide(_ pod: Pod, podIP: String, hostIP: String, now: Date) -> Decision {
        if pod.metadata?.deletionTimestamp != nil { return Decision(status: nil, wake: nil, finishDeletion: true) }
        let status = pod.status ?? PodStatus()
        if status.phase == "Succeeded" || status.phase == "Failed" { return .nothing }
        let statuses = status.containerStatuses ?? []
        let time = Time(now)

        guard !statuses.isEmpty else {
            return Decision(status: creating(pod, podIP: podIP, hostIP: hostIP, now: time), wake: now, finishDeletion: false)
        }
        let waitingReasons = Set(statuses.compactMap { $0.state?.waiting?.reason })
        if waitingReasons.contains("ContainerCreating") {
            return Decision(status: running(pod, restartCount: 0, lastStates: [:], now: time),
                            wake: exitTime(pod, startedAt: now), finishDeletion: false)
        }
        if waitingReasons.contains("CrashLoopBackOff") {
            let restarts = statuses.map { $0.restartCount ?? 0 }.max() ?? 0
            let finished = statuses.compactMap { $0.lastState?.terminated?.finishedAt?.date }.max() ?? now
            let due = finished.addingTimeInterval(backoff(restarts: restarts))
            if now < due { return Decision(status: nil, wake: due, finishDeletion: false) }
            var lastStates: [String: ContainerState] = [:]
            for s in statuses { if let name = s.name, let last = s.lastState { lastStates[name] = last } }
            return Decision(status: running(pod, restartCount: restarts, lastStates: lastStates, now: time),
                            wake: exitTime(pod, startedAt: now), finishDeletion: false)
        }
        // Running: exit when the pod asks for it.
        let started = statuses.compactMap { $0.state?.running?.startedAt?.date }.min()
        guard let started, let exitAt = exitTime(pod, startedAt: started), let code = exitCode(pod) else { return .nothing }
        if now < exitAt { return Decision(status: nil, wake: exitAt, finishDeletion: false) }
        return Decision(status: exited(pod, code: code, now: time), wake: now, finishDeletion: false)
    }

    /// The kubelet's crash-loop back-off after `restarts` restarts: 10 s doubling to 5 min.
    public static func backoff(restarts: Int32) -> TimeInterval {
        min(300, 10 * pow(2, Double(max(0, restarts - 1))))
    }

    private static func exitCode(_ pod: Pod) -> Int32? {
        pod.metadata?.annotations?[exitCodeAnnotation].flatMap { Int32($0) }
    }

    private static func exitTime(_ pod: Pod, startedAt: Date) -> Date? {
        guard exitCode(pod) != nil else { return nil }
        let seconds = pod.metadata?.annotations?[runSecondsAnnotation].flatMap { Double($0) } ?? 1
        return startedAt.addingTimeInterval(max(0, seconds))
    }

    // MARK: Statuses

    private static func creating(_ pod: Pod, podIP: String, hostIP: String, now: Time) -> PodStatus {
        var status = pod.status ?? PodStatus()
        status.phase = "Pending"
        status.hostIP = hostIP
        status.hostIPs = [HostIP(ip: hostIP)]
        status.podIP = podIP
        status.podIPs = [PodIP(ip: podIP)]
        status.startTime = status.startTime ?? now
        let names = (pod.spec?.containers ?? []).compactMap(\.name)
        status.conditions = conditions(status.conditions, now: now, initialized: true, ready: false,
                                       notReady: names, sandboxReady: true)
        status.initContainerStatuses = pod.spec?.initContainers.map { list in
            list.map { c in
                ContainerStatus(containerID: containerID(pod, c), image: c.image, imageID: imageID(c), name: c.name,
                                ready: true, restartCount: 0, started: false,
                                state: ContainerState(terminated: ContainerStateTerminated(
                                    containerID: containerID(pod, c), exitCode: 0, finishedAt: now, reason: "Completed",
                                    startedAt: now)))
            }
        }
        status.containerStatuses = (pod.spec?.containers ?? []).map { c in
            ContainerStatus(image: c.image, imageID: "", name: c.name, ready: false, restartCount: 0, started: false,
                            state: ContainerState(waiting: ContainerStateWaiting(reason: "ContainerCreating")))
        }
        return status
    }

    private static func running(_ pod: Pod, restartCount: Int32, lastStates: [String: ContainerState], now: Time) -> PodStatus {
        var status = pod.status ?? PodStatus()
        status.phase = "Running"
        status.conditions = conditions(status.conditions, now: now, initialized: true, ready: true, notReady: [],
                                       sandboxReady: true)
        status.containerStatuses = (pod.spec?.containers ?? []).map { c in
            ContainerStatus(containerID: containerID(pod, c), image: c.image, imageID: imageID(c),
                            lastState: lastStates[c.name ?? ""] ?? ContainerState(), name: c.name, ready: true,
                            restartCount: restartCount, started: true,
                            state: ContainerState(running: ContainerStateRunning(startedAt: now)))
        }
        return status
    }

    private static func exited(_ pod: Pod, code: Int32, now: Time) -> PodStatus {
        var status = pod.status ?? PodStatus()
        let policy = pod.spec?.restartPolicy ?? "Always"
        let restarts = policy == "Always" || (policy == "OnFailure" && code != 0)
        let reason = code == 0 ? "Completed" : "Error"
        let names = (pod.spec?.containers ?? []).compactMap(\.name)
        status.containerStatuses = (status.containerStatuses ?? []).map { s in
            var s = s
            let terminated = ContainerStateTerminated(containerID: s.containerID, exitCode: code, finishedAt: now,
                                                      reason: reason, startedAt: s.state?.running?.startedAt)
            s.ready = false
            s.started = false
            if restarts {
                s.lastState = ContainerState(terminated: terminated)
                s.restartCount = (s.restartCount ?? 0) + 1
                let name = s.name ?? ""
                s.state = ContainerState(waiting: ContainerStateWaiting(
                    message: "back-off \(Int(backoff(restarts: s.restartCount ?? 1)))s restarting failed container=\(name) pod=\(pod.metadata?.name ?? "")_\(pod.metadata?.namespace ?? "")(\(pod.metadata?.uid ?? ""))",
                    reason: "CrashLoopBackOff"))
            } else {
                s.state = ContainerState(terminated: terminated)
            }
            return s
        }
        if restarts {
            status.phase = "Running"
            status.conditions = conditions(status.conditions, now: now, initialized: true, ready: false, notReady: names,
                                           sandboxReady: true)
        } else {
            status.phase = code == 0 ? "Succeeded" : "Failed"
            status.conditions = conditions(status.conditions, now: now, initialized: true, ready: false, notReady: [],
                                           sandboxReady: false, completed: true)
        }
        return status
    }

    /// The pod's conditions as the kubelet sets them; PodScheduled (set by the scheduler) is kept.
    private static func conditions(_ existing: [PodCondition]?, now: Time, initialized: Bool, ready: Bool,
                                   notReady: [String], sandboxReady: Bool, completed: Bool = false) -> [PodCondition] {
        var result: [PodCondition] = []
        func set(_ type: String, _ value: Bool, reason: String? = nil, message: String? = nil) {
            let status = value ? "True" : "False"
            let previous = existing?.first { $0.type == type }
            let transition = previous?.status == status ? (previous?.lastTransitionTime ?? now) : now
            result.append(PodCondition(lastTransitionTime: transition, message: message, reason: reason, status: status, type: type))
        }
        let unready = notReady.isEmpty ? nil : "containers with unready status: [\(notReady.joined(separator: " "))]"
        set("PodReadyToStartContainers", sandboxReady)
        set("Initialized", initialized)
        set("Ready", ready, reason: ready ? nil : (completed ? "PodCompleted" : "ContainersNotReady"), message: ready ? nil : unready)
        set("ContainersReady", ready, reason: ready ? nil : (completed ? "PodCompleted" : "ContainersNotReady"),
            message: ready ? nil : unready)
        if let scheduled = existing?.first(where: { $0.type == "PodScheduled" }) { result.append(scheduled) }
        return result
    }

    private static func containerID(_ pod: Pod, _ c: Container) -> String {
        "sim://\(pod.metadata?.uid ?? "")/\(c.name ?? "")"
    }

    private static func imageID(_ c: Container) -> String {
        "sim://\(c.image ?? "")"
    }
}
