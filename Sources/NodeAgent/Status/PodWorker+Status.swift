import APIModel
import Foundation

extension PodWorker {
    /// The pod's status as the kubelet's `generateAPIPodStatus` makes it: container statuses (app containers
    /// wait `PodInitializing` when the pod has init containers, else `ContainerCreating`), the phase
    /// (`PodPhaseRules`, or Failed with `DeadlineExceeded`; a terminal phase never changes), the kubelet's
    /// conditions (`PodConditionRules`),
    /// pod and host IPs, and the start time. Other fields (qosClass, nominatedNodeName) are kept.
    func generateStatus(now: Date, podIsTerminal: Bool) -> PodStatus {
        let defaultWaiting = containers.contains(where: \.isInit) ? "PodInitializing" : "ContainerCreating"
        let initStatuses = containers.filter(\.isInit).map { $0.apiStatus(defaultWaiting: defaultWaiting) }
        let statuses = containers.filter { !$0.isInit }.map { $0.apiStatus(defaultWaiting: defaultWaiting) }

        var status = lastStatus ?? PodStatus()
        if deadlineExceeded, !isTerminal {
            status.phase = "Failed"
            status.reason = "DeadlineExceeded"
            status.message = Self.deadlineMessage
        } else if !isTerminal {
            status.phase = PodPhaseRules.phase(spec: pod.spec ?? PodSpec(), initStatuses: initStatuses,
                                               statuses: statuses, podIsTerminal: podIsTerminal)
        }
        status.hostIP = hostIP
        status.hostIPs = [HostIP(ip: hostIP)]
        if case .ready(let podIPs) = sandbox, let primary = podIPs.first {
            status.podIP = primary
            status.podIPs = podIPs.map { PodIP(ip: $0) }
        }
        status.startTime = status.startTime ?? Time(startTime)
        status.initContainerStatuses = initStatuses.isEmpty ? nil : initStatuses
        status.containerStatuses = statuses

        // The kubelet's own conditions as it last wrote them; others (PodScheduled, readiness gates) as the API
        // has them now.
        let fromAPI = (pod.status?.conditions ?? []).filter { !PodConditionRules.ownedTypes.contains($0.type ?? "") }
        let previous = fromAPI + (status.conditions ?? []).filter { mine in
            !fromAPI.contains { $0.type == mine.type }
        }
        var sandboxReady = false
        if case .ready = sandbox { sandboxReady = true }
        status.conditions = PodConditionRules.conditions(
            previous: previous, sandboxReady: sandboxReady, initStatuses: initStatuses, statuses: statuses,
            readinessGates: (pod.spec?.readinessGates ?? []).compactMap(\.conditionType),
            phase: status.phase ?? "Pending", now: Time(now))
        return status
    }
}
