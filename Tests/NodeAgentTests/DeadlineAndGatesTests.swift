import APIModel
import Foundation
import Testing
@testable import NodeAgent

@Suite struct DeadlineAndGatesTests {
    @Test func activeDeadlineFailsThePodAndStopsItsContainers() {
        var spec = pod([container("job")], restartPolicy: "OnFailure", grace: 5)
        spec.spec?.activeDeadlineSeconds = 60
        var h = Harness(spec)
        h.sandboxUp()
        h.run("job")
        h.advance(59)
        #expect(h.status.phase == "Running")
        h.advance(1)
        #expect(h.lastEvents == ["DeadlineExceeded: Pod was active on the node longer than the specified deadline",
                                 "Killing: Stopping container job"])
        #expect(h.actions.contains(.killContainer(name: "job", gracePeriodSeconds: 5)))
        #expect(h.status.phase == "Failed")
        #expect(h.status.reason == "DeadlineExceeded")
        #expect(!h.actions.contains(.tearDownSandbox), "containers still stopping")
        h.exit("job", code: 143)
        #expect(h.actions.contains(.tearDownSandbox))
        #expect(!h.actions.contains(.inspectImage("busybox:1.36")), "no restart")
        #expect(h.status.phase == "Failed")
    }

    @Test func readinessGatesHoldTheReadyCondition() {
        var gated = pod([container("app")])
        gated.spec?.readinessGates = [PodReadinessGate(conditionType: "example.com/lb")]
        var h = Harness(gated)
        h.sandboxUp()
        h.run("app")
        #expect(h.condition("ContainersReady")?.status == "True")
        #expect(h.condition("Ready")?.status == "False")
        #expect(h.condition("Ready")?.reason == "ReadinessGatesNotReady")
        #expect(h.condition("Ready")?.message == "corresponding condition of pod readiness gate \"example.com/lb\" does not exist.")

        var updated = h.worker.pod
        updated.status?.conditions?.append(PodCondition(status: "False", type: "example.com/lb"))
        h.send(.podUpdated(updated))
        #expect(h.condition("Ready")?.message == "the status of pod readiness gate \"example.com/lb\" is not \"True\", but False")
        updated.status?.conditions?[1].status = "True"
        h.send(.podUpdated(updated))
        #expect(h.condition("Ready")?.status == "True")
        #expect(h.condition("example.com/lb")?.status == "True")
    }

    @Test func completedInitContainersAreReady() {
        var h = Harness(pod([container("app")], initContainers: [container("init")]))
        h.sandboxUp()
        h.run("init")
        #expect(h.containerStatus("init")?.ready == false)
        h.exit("init", code: 0)
        #expect(h.containerStatus("init")?.ready == true)
    }
}
