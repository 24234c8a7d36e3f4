import APIModel
import Foundation
@testable import NodeAgent

/// A fixed start time; tests move `now` by hand.
let t0 = Date(timeIntervalSince1970: 1_750_000_000)

func container(_ name: String, image: String = "busybox:1.36", pullPolicy: String? = "IfNotPresent",
               liveness: Probe? = nil, readiness: Probe? = nil, startup: Probe? = nil) -> Container {
    Container(image: image, imagePullPolicy: pullPolicy, livenessProbe: liveness, name: name,
              readinessProbe: readiness, startupProbe: startup)
}

func pod(_ containers: [Container], initContainers: [Container]? = nil, restartPolicy: String = "Always",
         grace: Int64 = 30) -> Pod {
    Pod(metadata: ObjectMeta(name: "web", namespace: "default", uid: "uid-1"),
        spec: PodSpec(containers: containers, initContainers: initContainers, restartPolicy: restartPolicy,
                      terminationGracePeriodSeconds: grace),
        status: PodStatus(conditions: [PodCondition(lastTransitionTime: Time(t0), status: "True", type: "PodScheduled")],
                          phase: "Pending", qosClass: "BestEffort"))
}

/// A pod worker driven by hand, with the time and the actions of the last step kept.
struct Harness {
    var worker: PodWorker
    var now = t0
    var actions: [PodAction] = []
    /// Every event recorded so far.
    var events: [KubeletEvent] = []
    /// The status last written.
    var status: PodStatus

    init(_ pod: Pod) {
        worker = PodWorker(pod: pod, hostIP: "10.0.0.5", now: t0)
        status = pod.status ?? PodStatus()
    }

    @discardableResult
    mutating func send(_ event: PodEvent) -> [PodAction] {
        actions = worker.on(event, now: now)
        for action in actions {
            if case .recordEvent(let event) = action { events.append(event) }
            if case .writeStatus(let written) = action { status = written }
        }
        return actions
    }

    mutating func advance(_ seconds: TimeInterval) {
        now.addTimeInterval(seconds)
        send(.tick)
    }

    /// Sandbox up with 10.244.0.7.
    mutating func sandboxUp() {
        send(.podUpdated(worker.pod))
        send(.sandboxReady(podIPs: ["10.244.0.7"]))
    }

    /// Answers the inspect/create of `name` until it runs (image present).
    mutating func run(_ name: String, instance: Int = 0) {
        send(.imageInspected(image: image(of: name), present: true))
        send(.containerCreated(name: name, containerID: "skiff://\(name)-\(instance)"))
        send(.containerStarted(name: name, startedAt: now))
    }

    mutating func exit(_ name: String, code: Int32, reason: String? = nil) {
        send(.containerExited(name: name, ContainerExit(exitCode: code, reason: reason, finishedAt: now)))
    }

    func image(of name: String) -> String {
        let spec = (worker.pod.spec?.initContainers ?? []) + (worker.pod.spec?.containers ?? [])
        return spec.first { $0.name == name }?.image ?? ""
    }

    func containerStatus(_ name: String) -> ContainerStatus? {
        ((status.initContainerStatuses ?? []) + (status.containerStatuses ?? [])).first { $0.name == name }
    }

    func condition(_ type: String) -> PodCondition? { status.conditions?.first { $0.type == type } }

    var wake: Date? {
        actions.compactMap { if case .wake(let at) = $0 { at } else { nil } }.last
    }

    var lastEvents: [String] {
        actions.compactMap { if case .recordEvent(let e) = $0 { "\(e.reason): \(e.message)" } else { nil } }
    }
}
