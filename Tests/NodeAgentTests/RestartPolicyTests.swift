import APIModel
import Foundation
import Testing
@testable import NodeAgent

@Suite struct RestartPolicyTests {
    @Test func crashLoopBacksOffTenSecondsDoublingToFiveMinutes() {
        var h = Harness(pod([container("app")]))
        h.sandboxUp()
        h.run("app", instance: 0)
        var delays: [TimeInterval] = []
        var messages: [String] = []
        for instance in 1...8 {
            h.now.addTimeInterval(1)
            h.exit("app", code: 1)
            let crashed = h.now
            if h.actions.contains(.inspectImage("busybox:1.36")) {
                delays.append(0)
            } else {
                let status = h.containerStatus("app")
                #expect(status?.state?.waiting?.reason == "CrashLoopBackOff")
                messages.append(status?.state?.waiting?.message ?? "")
                #expect(status?.lastState?.terminated?.exitCode == 1)
                #expect(status?.lastState?.terminated?.reason == "Error")
                #expect(status?.restartCount == Int32(instance - 1))
                #expect(h.lastEvents == ["BackOff: Back-off restarting failed container app in pod web_default(uid-1)"])
                let wake = h.wake ?? crashed
                h.now = wake.addingTimeInterval(-0.5)
                h.send(.tick)
                #expect(!h.actions.contains(.inspectImage("busybox:1.36")))
                h.now = wake
                h.send(.tick)
                #expect(h.actions.contains(.inspectImage("busybox:1.36")))
                delays.append(wake.timeIntervalSince(crashed))
            }
            h.run("app", instance: instance)
            #expect(h.containerStatus("app")?.restartCount == Int32(instance))
            #expect(h.containerStatus("app")?.lastState?.terminated?.exitCode == 1)
            #expect(h.status.phase == "Running")
        }
        #expect(delays == [0, 10, 20, 40, 80, 160, 300, 300])
        #expect(messages.first == "back-off 10s restarting failed container=app pod=web_default(uid-1)")
        #expect(messages.last == "back-off 5m0s restarting failed container=app pod=web_default(uid-1)")
        #expect(messages[3] == "back-off 1m20s restarting failed container=app pod=web_default(uid-1)")
    }

    @Test func backoffResetsAfterTenMinutesOfRunning() {
        var h = Harness(pod([container("app")]))
        h.sandboxUp()
        h.run("app")
        for instance in 1...3 {
            h.now.addTimeInterval(1)
            h.exit("app", code: 1)
            if let wake = h.wake { h.now = wake; h.send(.tick) }
            h.run("app", instance: instance)
        }
        h.now.addTimeInterval(601)
        h.exit("app", code: 1)
        #expect(h.actions.contains(.inspectImage("busybox:1.36")), "restarted at once")
        h.run("app", instance: 4)
        h.now.addTimeInterval(1)
        h.exit("app", code: 1)
        #expect(h.containerStatus("app")?.state?.waiting?.message?.hasPrefix("back-off 10s") == true)
    }

    /// (policy, exit code) → phase after the container ends, and whether it restarts.
    @Test(arguments: [
        ("Always", Int32(0), "Running", true), ("Always", 1, "Running", true),
        ("OnFailure", 0, "Succeeded", false), ("OnFailure", 1, "Running", true),
        ("Never", 0, "Succeeded", false), ("Never", 1, "Failed", false),
    ])
    func restartPolicyDecides(policy: String, code: Int32, phase: String, restarts: Bool) {
        var h = Harness(pod([container("app")], restartPolicy: policy))
        h.sandboxUp()
        h.run("app")
        h.now.addTimeInterval(3)
        h.exit("app", code: code)
        #expect(h.status.phase == phase)
        #expect(h.actions.contains(.inspectImage("busybox:1.36")) == restarts)
        #expect(h.actions.contains(.tearDownSandbox) == !restarts)
        if !restarts {
            let terminated = h.containerStatus("app")?.state?.terminated
            #expect(terminated?.exitCode == code)
            #expect(terminated?.reason == (code == 0 ? "Completed" : "Error"))
            #expect(terminated?.startedAt == Time(t0))
            #expect(terminated?.finishedAt == Time(t0.addingTimeInterval(3)))
            #expect(h.condition("Ready")?.reason == (phase == "Succeeded" ? "PodCompleted" : "ContainersNotReady"))
            h.advance(600)
            #expect(h.actions.isEmpty, "a finished pod stays finished")
        }
    }

    @Test func oomKilledKeepsTheRuntimeReason() {
        var h = Harness(pod([container("app")], restartPolicy: "Never"))
        h.sandboxUp()
        h.run("app")
        h.exit("app", code: 137, reason: "OOMKilled")
        #expect(h.containerStatus("app")?.state?.terminated?.reason == "OOMKilled")
        #expect(h.containerStatus("app")?.state?.terminated?.exitCode == 137)
        #expect(h.status.phase == "Failed")
    }

    @Test func onFailureWithOneContainerDoneAndOneRunningIsRunning() {
        var h = Harness(pod([container("a"), container("b")], restartPolicy: "OnFailure"))
        h.sandboxUp()
        h.send(.imageInspected(image: "busybox:1.36", present: true))
        for name in ["a", "b"] {
            h.send(.containerCreated(name: name, containerID: "skiff://\(name)"))
            h.send(.containerStarted(name: name, startedAt: h.now))
        }
        h.exit("a", code: 0)
        #expect(h.status.phase == "Running")
        #expect(h.condition("Ready")?.message == "containers with unready status: [a]")
        h.exit("b", code: 0)
        #expect(h.status.phase == "Succeeded")
    }

    @Test func createContainerErrorIsRetried() {
        var h = Harness(pod([container("app")]))
        h.sandboxUp()
        h.send(.imageInspected(image: "busybox:1.36", present: true))
        h.send(.containerCreateFailed(name: "app", message: "no command specified"))
        #expect(h.containerStatus("app")?.state?.waiting?.reason == "CreateContainerError")
        #expect(h.containerStatus("app")?.state?.waiting?.message == "no command specified")
        #expect(h.lastEvents == ["Failed: Error: no command specified"])
        h.advance(10)
        #expect(h.actions.contains(.inspectImage("busybox:1.36")))
    }
}

@Suite struct DefinitionChangeTests {
    @Test func imageChangeKillsAndReplacesTheContainerAtOnce() {
        var h = Harness(pod([container("app", image: "busybox:1.36")]))
        h.sandboxUp()
        h.run("app")
        for instance in 1...2 {  // build up a crash-loop back-off first
            h.exit("app", code: 1)
            if let wake = h.wake { h.now = wake; h.send(.tick) }
            h.run("app", instance: instance)
        }
        var updated = h.worker.pod
        updated.spec?.containers?[0].image = "busybox:1.37"
        h.send(.podUpdated(updated))
        #expect(h.lastEvents == ["Killing: Container app definition changed, will be restarted"])
        #expect(h.actions.contains(.killContainer(name: "app", gracePeriodSeconds: 30)))
        h.exit("app", code: 143)
        #expect(h.actions.contains(.inspectImage("busybox:1.37")), "no back-off for a new definition")
        h.run("app", instance: 3)
        #expect(h.containerStatus("app")?.image == "busybox:1.37")
        #expect(h.containerStatus("app")?.restartCount == 3)
    }

    @Test func imageChangeEndsAnImagePullBackOff() {
        var h = Harness(pod([container("app", image: "typo:1")]))
        h.sandboxUp()
        h.send(.imageInspected(image: "typo:1", present: false))
        h.send(.imagePullFailed(image: "typo:1", message: "not found"))
        var updated = h.worker.pod
        updated.spec?.containers?[0].image = "busybox:1.36"
        h.send(.podUpdated(updated))
        #expect(h.actions.contains(.inspectImage("busybox:1.36")))
    }
}
