import APIModel
import Foundation

extension PodWorker {
    /// Records what `event` tells; decisions follow in `sync`.
    mutating func apply(_ event: PodEvent, now: Date, into actions: inout [PodAction]) {
        switch event {
        case .podUpdated(let updated):
            pod = updated
            applyImageChanges(into: &actions)
            if updated.metadata?.deletionTimestamp != nil {
                requestTermination(grace: updated.metadata?.deletionGracePeriodSeconds ?? podGracePeriod)
            }
        case .deletionRequested(let grace):
            requestTermination(grace: grace)
        case .sandboxReady(let podIPs):
            sandbox = .ready(podIPs: podIPs)
        case .sandboxFailed(let message):
            sandbox = .failed(retryAt: now.addingTimeInterval(Self.retryPeriod))
            actions.append(.recordEvent(KubeletEvent(.warning, "FailedCreatePodSandBox",
                                                     "Failed to create pod sandbox: \(message)")))
        case .imageInspected(let image, let present):
            for i in containers.indices where containers[i].stage == .inspectingImage && containers[i].image == image {
                decideImage(i, present: present, now: now, into: &actions)
            }
        case .imagePulled(let image, let size, let seconds):
            pullErrors[image] = nil
            let took = GoDuration.format(seconds)
            for i in containers.indices where containers[i].stage == .pullingImage && containers[i].image == image {
                actions.append(containers[i].event(.normal, "Pulled", "Successfully pulled image \"\(image)\" in \(took) (\(took) including waiting). Image size: \(size) bytes."))
                create(i, into: &actions)
            }
        case .imagePullFailed(let image, let message):
            pullFailed(image: image, message: message, now: now, into: &actions)
        case .containerCreated(let name, let containerID):
            guard let i = index(of: name), containers[i].stage == .creating else { return }
            containers[i].containerID = containerID
            actions.append(containers[i].event(.normal, "Created", "Created container: \(name)"))
        case .containerStarted(let name, let startedAt):
            guard let i = index(of: name), containers[i].stage == .creating else { return }
            containers[i].stage = .running(startedAt: startedAt)
            containers[i].probes = ContainerProbes(container: containers[i].spec, startedAt: startedAt)
            actions.append(containers[i].event(.normal, "Started", "Started container \(name)"))
        case .containerCreateFailed(let name, let message):
            guard let i = index(of: name), containers[i].stage == .creating else { return }
            containers[i].stage = .failed(reason: "CreateContainerError", message: message, at: now,
                                          retryAt: now.addingTimeInterval(Self.retryPeriod))
            actions.append(containers[i].event(.warning, "Failed", "Error: \(message)"))
        case .containerExited(let name, var exit):
            guard let i = index(of: name) else { return }
            switch containers[i].stage {
            case .running(let startedAt), .killing(let startedAt): exit.startedAt = exit.startedAt ?? startedAt
            case .creating: break
            default: return
            }
            containers[i].stage = .exited(Termination(exit: exit, containerID: containers[i].containerID))
            containers[i].probes = ContainerProbes()
        case .probeResult(let name, let kind, let outcome):
            probeResult(name, kind, outcome, into: &actions)
        case .tick:
            break
        }
    }

    /// A container whose image changed (the one mutable field of a container) is replaced: a running one is
    /// killed and restarted at once (unless the policy is Never), one waiting to start or restart starts anew.
    private mutating func applyImageChanges(into actions: inout [PodAction]) {
        let specs = (pod.spec?.initContainers ?? []) + (pod.spec?.containers ?? [])
        for i in containers.indices {
            guard let spec = specs.first(where: { $0.name == containers[i].name }),
                  spec.image != containers[i].spec.image else { continue }
            containers[i].spec = spec
            switch containers[i].stage {
            case .running:
                containers[i].definitionChanged = true
                var message = "Container \(containers[i].name) definition changed"
                if restartPolicy != "Never" { message += ", will be restarted" }
                actions.append(containers[i].event(.normal, "Killing", message))
                kill(i, grace: podGracePeriod, into: &actions)
            case .failed:
                containers[i].stage = .notStarted
            case .backingOff(let t, _, _):
                containers[i].stage = .exited(t)
            default:
                break
            }
        }
    }

    private mutating func requestTermination(grace: Int64) {
        terminationGrace = min(terminationGrace ?? grace, max(0, grace))
    }

    private mutating func pullFailed(image: String, message: String, now: Date, into actions: inout [PodAction]) {
        pullBackoff.next(image, eventTime: now, now: now)
        pullErrors[image] = message
        let retryAt = now.addingTimeInterval(pullBackoff.duration(image) ?? Self.retryPeriod)
        for i in containers.indices where containers[i].stage == .pullingImage && containers[i].image == image {
            containers[i].stage = .failed(reason: "ErrImagePull", message: message, at: now, retryAt: retryAt)
            actions.append(containers[i].event(.warning, "Failed", "Failed to pull image \"\(image)\": \(message)"))
            actions.append(containers[i].event(.warning, "Failed", "Error: ErrImagePull"))
        }
    }

    /// A probe's answer: Unhealthy on failure; a liveness or startup result turning Failure kills the container.
    private mutating func probeResult(_ name: String, _ kind: ProbeKind, _ outcome: ProbeOutcome,
                                      into actions: inout [PodAction]) {
        guard let i = index(of: name), containers[i].isRunning else { return }
        if case .failure(let output) = outcome {
            actions.append(containers[i].event(.warning, "Unhealthy", "\(kind.title) probe failed: \(output)"))
        }
        guard let (tracker, changed) = containers[i].probes.record(kind, success: outcome == .success),
              changed, tracker.result == .failure, kind != .readiness else { return }
        var message = "Container \(name) failed \(kind.rawValue) probe"
        if restartPolicy != "Never" { message += ", will be restarted" }
        actions.append(containers[i].event(.normal, "Killing", message))
        kill(i, grace: tracker.probe.terminationGracePeriodSeconds ?? podGracePeriod, into: &actions)
    }
}
