import APIModel
import Foundation
import Testing
@testable import NodeAgent

@Suite struct PodWorkerLifecycleTests {
    @Test func happyPathReachesRunningThenReady() {
        let readiness = Probe(exec: ExecAction(command: ["true"]), periodSeconds: 5)
        var h = Harness(pod([container("app", readiness: readiness)]))
        #expect(h.send(.podUpdated(h.worker.pod)).first == .createSandbox)
        #expect(h.status.phase == "Pending")
        #expect(h.containerStatus("app")?.state?.waiting?.reason == "ContainerCreating")
        #expect(h.condition("PodReadyToStartContainers")?.status == "False")

        h.send(.sandboxReady(podIPs: ["10.244.0.7"]))
        #expect(h.actions.contains(.inspectImage("busybox:1.36")))
        #expect(h.status.podIP == "10.244.0.7")
        #expect(h.status.hostIP == "10.0.0.5")
        #expect(h.condition("PodReadyToStartContainers")?.status == "True")

        h.send(.imageInspected(image: "busybox:1.36", present: true))
        #expect(h.lastEvents == ["Pulled: Container image \"busybox:1.36\" already present on machine"])
        #expect(h.actions.contains(.createAndStartContainer(name: "app")))
        h.send(.containerCreated(name: "app", containerID: "skiff://abc"))
        #expect(h.lastEvents == ["Created: Created container: app"])
        h.send(.containerStarted(name: "app", startedAt: h.now))
        #expect(h.lastEvents == ["Started: Started container app"])
        #expect(h.status.phase == "Running")
        #expect(h.containerStatus("app")?.state?.running?.startedAt == Time(t0))
        #expect(h.containerStatus("app")?.containerID == "skiff://abc")
        #expect(h.containerStatus("app")?.started == true)
        #expect(h.containerStatus("app")?.ready == false)
        #expect(h.condition("Ready")?.status == "False")
        #expect(h.condition("Ready")?.message == "containers with unready status: [app]")
        #expect(h.actions.contains { if case .runProbe("app", .readiness, _) = $0 { true } else { false } })

        h.now.addTimeInterval(1)
        h.send(.probeResult(container: "app", .readiness, .success))
        #expect(h.containerStatus("app")?.ready == true)
        #expect(h.condition("Ready")?.status == "True")
        #expect(h.condition("ContainersReady")?.status == "True")
        #expect(h.condition("Ready")?.lastTransitionTime == Time(h.now))
        #expect(h.condition("Initialized")?.status == "True")
        #expect(h.condition("PodScheduled")?.lastTransitionTime == Time(t0))
        #expect(h.condition("PodReadyToStartContainers")?.lastTransitionTime == Time(t0))
        #expect(h.status.qosClass == "BestEffort")
        #expect(h.status.startTime == Time(t0))
        #expect(h.wake == t0.addingTimeInterval(5))
    }

    @Test func statusIsWrittenOnlyWhenItChanges() {
        var h = Harness(pod([container("app")]))
        h.sandboxUp()
        h.run("app")
        h.now.addTimeInterval(30)
        let actions = h.send(.tick)
        #expect(!actions.contains { if case .writeStatus = $0 { true } else { false } })
    }

    @Test func initContainersRunInOrderBeforeAppContainers() {
        var h = Harness(pod([container("app")], initContainers: [container("init-a"), container("init-b")]))
        h.sandboxUp()
        #expect(h.actions.filter { if case .inspectImage = $0 { true } else { false } }.count == 1)
        h.send(.imageInspected(image: "busybox:1.36", present: true))
        #expect(h.actions.contains(.createAndStartContainer(name: "init-a")))
        #expect(!h.actions.contains(.createAndStartContainer(name: "init-b")))
        h.send(.containerCreated(name: "init-a", containerID: "skiff://a"))
        h.send(.containerStarted(name: "init-a", startedAt: h.now))
        #expect(h.status.phase == "Pending")
        #expect(h.containerStatus("init-b")?.state?.waiting?.reason == "PodInitializing")
        #expect(h.containerStatus("app")?.state?.waiting?.reason == "PodInitializing")
        #expect(h.condition("Initialized")?.status == "False")
        #expect(h.condition("Initialized")?.message == "containers with incomplete status: [init-a init-b]")

        h.now.addTimeInterval(2)
        h.exit("init-a", code: 0)
        #expect(h.actions.contains(.inspectImage("busybox:1.36")))
        #expect(h.containerStatus("init-a")?.state?.terminated?.reason == "Completed")
        h.run("init-b")
        #expect(!h.actions.contains(.createAndStartContainer(name: "app")))
        h.exit("init-b", code: 0)
        #expect(h.condition("Initialized")?.status == "True")
        h.run("app")
        #expect(h.status.phase == "Running")
        #expect(h.containerStatus("app")?.ready == true)
        #expect(h.condition("Ready")?.status == "True")
    }

    @Test func failedInitContainerIsRetriedUnlessNever() {
        var h = Harness(pod([container("app")], initContainers: [container("init")], restartPolicy: "OnFailure"))
        h.sandboxUp()
        h.run("init")
        h.exit("init", code: 2)
        #expect(h.actions.contains(.inspectImage("busybox:1.36")))
        #expect(h.status.phase == "Pending")
        #expect(h.containerStatus("init")?.restartCount == 1)
        #expect(h.containerStatus("init")?.lastState?.terminated?.exitCode == 2)

        var never = Harness(pod([container("app")], initContainers: [container("init")], restartPolicy: "Never"))
        never.sandboxUp()
        never.run("init")
        never.exit("init", code: 2)
        #expect(never.status.phase == "Failed")
        #expect(never.actions.contains(.tearDownSandbox))
        #expect(never.containerStatus("app")?.state?.waiting?.reason == "PodInitializing")
    }

    @Test func deletionKillsContainersThenTearsDownAndFinishes() {
        var h = Harness(pod([container("a"), container("b")], grace: 30))
        h.sandboxUp()
        h.send(.imageInspected(image: "busybox:1.36", present: true))
        for name in ["a", "b"] {
            h.send(.containerCreated(name: name, containerID: "skiff://\(name)"))
            h.send(.containerStarted(name: name, startedAt: h.now))
        }
        var deleted = h.worker.pod
        deleted.metadata?.deletionTimestamp = Time(t0.addingTimeInterval(15))
        deleted.metadata?.deletionGracePeriodSeconds = 15
        h.send(.podUpdated(deleted))
        #expect(h.actions.contains(.killContainer(name: "a", gracePeriodSeconds: 15)))
        #expect(h.actions.contains(.killContainer(name: "b", gracePeriodSeconds: 15)))
        #expect(h.lastEvents == ["Killing: Stopping container a", "Killing: Stopping container b"])
        #expect(!h.actions.contains(.finishDeletion))

        h.now.addTimeInterval(1)
        h.exit("a", code: 143)
        #expect(!h.actions.contains(.finishDeletion))
        h.exit("b", code: 0)
        let tail = h.actions.filter { if case .recordEvent = $0 { false } else { true } }
        #expect(tail.first == .tearDownSandbox)
        #expect(tail.last == .finishDeletion)
        #expect(h.status.phase == "Failed")
        #expect(h.containerStatus("a")?.state?.terminated?.exitCode == 143)
        #expect(h.containerStatus("a")?.state?.terminated?.reason == "Error")
        #expect(h.condition("Ready")?.status == "False")
        #expect(h.worker.finished)
        #expect(h.send(.tick).isEmpty)
    }

    @Test func deletionOfASucceededPodFinishesAtOnce() {
        var h = Harness(pod([container("job")], restartPolicy: "Never"))
        h.sandboxUp()
        h.run("job")
        h.exit("job", code: 0)
        #expect(h.status.phase == "Succeeded")
        h.send(.deletionRequested(gracePeriodSeconds: 30))
        #expect(h.actions.last == .finishDeletion)
        #expect(h.status.phase == "Succeeded")
    }

    @Test func sandboxFailureIsRetriedAfterTenSeconds() {
        var h = Harness(pod([container("app")]))
        h.send(.podUpdated(h.worker.pod))
        h.send(.sandboxFailed(message: "netns: no such device"))
        #expect(h.lastEvents == ["FailedCreatePodSandBox: Failed to create pod sandbox: netns: no such device"])
        #expect(h.wake == t0.addingTimeInterval(10))
        h.advance(5)
        #expect(!h.actions.contains(.createSandbox))
        h.advance(5)
        #expect(h.actions.contains(.createSandbox))
    }
}
