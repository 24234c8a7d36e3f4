import APIModel
import Foundation

extension PodWorker {
    /// Decides what to do now (the kubelet's `computePodActions`), writes the status when it changed, tears
    /// the sandbox down once the pod is terminal and nothing runs, and finishes a deletion once nothing runs.
    mutating func sync(now: Date, into actions: inout [PodAction]) {
        let terminating = terminationGrace != nil
        if !terminating, !isTerminal, !deadlineExceeded, let deadline = activeDeadline, now >= deadline {
            deadlineExceeded = true
            actions.append(.recordEvent(KubeletEvent(.normal, "DeadlineExceeded", Self.deadlineMessage)))
        }
        if terminating || isTerminal || deadlineExceeded {
            killAll(into: &actions)
        } else {
            syncSandbox(now: now, into: &actions)
            if case .ready = sandbox {
                syncContainers(now: now, into: &actions)
                runDueProbes(now: now, into: &actions)
            }
        }
        let quiet = containers.allSatisfy { !$0.isAlive && $0.stage != .creating }
        let stopped = terminating && quiet
        var status = generateStatus(now: now, podIsTerminal: stopped)
        let terminal = status.phase == "Succeeded" || status.phase == "Failed"
        if terminal || stopped, quiet, sandbox != .none, sandbox != .tornDown {
            actions.append(.tearDownSandbox)
            sandbox = .tornDown
            status = generateStatus(now: now, podIsTerminal: stopped)
        }
        if status != lastStatus {
            actions.append(.writeStatus(status))
            lastStatus = status
        }
        if stopped {
            actions.append(.finishDeletion)
            finished = true
            return
        }
        scheduleWake(now: now, into: &actions)
    }

    private mutating func syncSandbox(now: Date, into actions: inout [PodAction]) {
        switch sandbox {
        case .none:
            break
        case .failed(let retryAt) where now >= retryAt:
            break
        default:
            return
        }
        sandbox = .creating
        actions.append(.createSandbox)
    }

    /// Init containers one at a time, in order, to success; then every app container.
    private mutating func syncContainers(now: Date, into actions: inout [PodAction]) {
        for i in containers.indices where containers[i].isInit {
            if let t = containers[i].termination, t.succeeded, case .exited = containers[i].stage { continue }
            advance(i, now: now, into: &actions)
            return
        }
        for i in containers.indices where !containers[i].isInit {
            advance(i, now: now, into: &actions)
        }
    }

    /// Whether an ended instance is followed by a new one, as the restart policy says.
    private func shouldRestart(_ record: ContainerRecord, _ t: Termination) -> Bool {
        if record.definitionChanged { return restartPolicy != "Never" }
        return switch restartPolicy {
        case "Never": false
        case "OnFailure": !t.succeeded
        default: record.isInit ? !t.succeeded : true
        }
    }

    /// Moves one container on: first start, retries after failed starts, restarts after back-off.
    private mutating func advance(_ i: Int, now: Date, into actions: inout [PodAction]) {
        let record = containers[i]
        switch record.stage {
        case .notStarted:
            beginStart(i, into: &actions)
        case .failed(_, _, _, let retryAt) where now >= retryAt:
            beginStart(i, into: &actions)
        case .failed("ErrImagePull", let message, let at, let retryAt) where now > at:
            containers[i].stage = .failed(
                reason: "ImagePullBackOff", message: "Back-off pulling image \"\(record.image)\": ErrImagePull: \(message)",
                at: now, retryAt: retryAt)
            actions.append(record.event(.normal, "BackOff", "Back-off pulling image \"\(record.image)\""))
            actions.append(record.event(.warning, "Failed", "Error: ImagePullBackOff"))
        case .exited(let t) where shouldRestart(record, t):
            guard !record.definitionChanged,
                  let end = crashBackoff.backoffEnd(record.backoffKey, since: t.exit.finishedAt, now: now) else {
                restart(i, after: t, now: now, into: &actions)
                return
            }
            let delay = GoDuration.format(crashBackoff.duration(record.backoffKey) ?? 0)
            containers[i].stage = .backingOff(
                t, message: "back-off \(delay) restarting failed container=\(record.name) pod=\(podDescription)",
                retryAt: end)
            actions.append(record.event(.warning, "BackOff",
                                        "Back-off restarting failed container \(record.name) in pod \(podDescription)"))
        case .backingOff(let t, _, let retryAt) where now >= retryAt:
            restart(i, after: t, now: now, into: &actions)
        default:
            break
        }
    }

    private mutating func restart(_ i: Int, after t: Termination, now: Date, into actions: inout [PodAction]) {
        if !containers[i].definitionChanged {
            crashBackoff.next(containers[i].backoffKey, eventTime: t.exit.finishedAt, now: now)
        }
        containers[i].definitionChanged = false
        containers[i].previous = t
        containers[i].restartCount += 1
        containers[i].containerID = nil
        beginStart(i, into: &actions)
    }

    /// A start begins with the image: look it up (once per image per sync).
    private mutating func beginStart(_ i: Int, into actions: inout [PodAction]) {
        containers[i].stage = .inspectingImage
        let inspect = PodAction.inspectImage(containers[i].image)
        if !actions.contains(inspect) { actions.append(inspect) }
    }

    /// The image is known present or absent: pull it, use it, or fail, as `imagePullPolicy` says.
    mutating func decideImage(_ i: Int, present: Bool, now: Date, into actions: inout [PodAction]) {
        let record = containers[i]
        let image = record.image
        let policy = ImagePullPolicy(record.spec)
        if policy == .never, !present {
            let message = "Container image \"\(image)\" is not present with pull policy of Never"
            containers[i].stage = .failed(reason: "ErrImageNeverPull", message: message, at: now,
                                          retryAt: now.addingTimeInterval(Self.retryPeriod))
            actions.append(record.event(.warning, "ErrImageNeverPull", message))
            actions.append(record.event(.warning, "Failed", "Error: ErrImageNeverPull"))
            return
        }
        if present, policy != .always {
            actions.append(record.event(.normal, "Pulled", "Container image \"\(image)\" already present on machine"))
            create(i, into: &actions)
            return
        }
        if let end = pullBackoff.backoffEndSinceUpdate(image, now: now) {
            containers[i].stage = .failed(
                reason: "ImagePullBackOff",
                message: "Back-off pulling image \"\(image)\": ErrImagePull: \(pullErrors[image] ?? "")",
                at: now, retryAt: end)
            actions.append(record.event(.normal, "BackOff", "Back-off pulling image \"\(image)\""))
            actions.append(record.event(.warning, "Failed", "Error: ImagePullBackOff"))
            return
        }
        let alreadyPulling = containers.contains { $0.stage == .pullingImage && $0.image == image }
        containers[i].stage = .pullingImage
        if !alreadyPulling {
            actions.append(record.event(.normal, "Pulling", "Pulling image \"\(image)\""))
            actions.append(.pullImage(image))
        }
    }

    mutating func create(_ i: Int, into actions: inout [PodAction]) {
        containers[i].stage = .creating
        actions.append(.createAndStartContainer(name: containers[i].name))
    }

    mutating func kill(_ i: Int, grace: Int64, into actions: inout [PodAction]) {
        guard case .running(let startedAt) = containers[i].stage else { return }
        containers[i].stage = .killing(startedAt: startedAt)
        actions.append(.killContainer(name: containers[i].name, gracePeriodSeconds: grace))
    }

    /// When `activeDeadlineSeconds` (counted from the start time) runs out.
    private var activeDeadline: Date? {
        pod.spec?.activeDeadlineSeconds.map { startTime.addingTimeInterval(TimeInterval($0)) }
    }

    /// Termination (deletion, a terminal phase, the active deadline): stop every running container; abandon
    /// starts not yet at the runtime.
    private mutating func killAll(into actions: inout [PodAction]) {
        for i in containers.indices {
            switch containers[i].stage {
            case .running:
                actions.append(containers[i].event(.normal, "Killing", "Stopping container \(containers[i].name)"))
                kill(i, grace: terminationGrace ?? podGracePeriod, into: &actions)
            case .inspectingImage, .pullingImage:
                containers[i].stage = .notStarted
            default:
                break
            }
        }
    }

    private mutating func runDueProbes(now: Date, into actions: inout [PodAction]) {
        for i in containers.indices where containers[i].isRunning {
            for kind in containers[i].probes.due(now: now) {
                guard let probe = containers[i].probes.trackers[kind]?.probe else { continue }
                actions.append(.runProbe(container: containers[i].name, kind: kind, probe: probe))
            }
        }
    }

    /// Asks for a tick at the earliest retry, back-off end or probe due (ErrImagePull turns into
    /// ImagePullBackOff a second after the failure, as the pod worker's resync would show it).
    private func scheduleWake(now: Date, into actions: inout [PodAction]) {
        var times: [Date] = []
        if case .failed(let retryAt) = sandbox { times.append(retryAt) }
        for record in containers {
            switch record.stage {
            case .failed(let reason, _, let at, let retryAt):
                times.append(reason == "ErrImagePull" ? min(retryAt, at.addingTimeInterval(1)) : retryAt)
            case .backingOff(_, _, let retryAt):
                times.append(retryAt)
            case .running:
                if let due = record.probes.nextDue { times.append(due) }
            default:
                break
            }
        }
        guard let next = times.filter({ $0 > now }).min() else { return }
        actions.append(.wake(at: next))
    }
}
