import APIModel
import Foundation
import Testing
@testable import NodeAgent

@Suite struct ProbeTests {
    let exec = ExecAction(command: ["check"])

    @Test func livenessFailurePastThresholdKillsAndRestarts() {
        let liveness = Probe(exec: exec, failureThreshold: 2, initialDelaySeconds: 5, periodSeconds: 10)
        var h = Harness(pod([container("app", liveness: liveness)], grace: 20))
        h.sandboxUp()
        h.run("app")
        #expect(h.wake == t0.addingTimeInterval(5), "first attempt after the initial delay")
        h.advance(5)
        #expect(h.actions.contains(.runProbe(container: "app", kind: .liveness, probe: liveness)))
        h.send(.probeResult(container: "app", .liveness, .failure(output: "exit 1")))
        #expect(h.lastEvents == ["Unhealthy: Liveness probe failed: exit 1"])
        #expect(!h.actions.contains { if case .killContainer = $0 { true } else { false } })
        #expect(h.wake == t0.addingTimeInterval(15))
        h.advance(10)
        h.send(.probeResult(container: "app", .liveness, .failure(output: "exit 1")))
        #expect(h.lastEvents == ["Unhealthy: Liveness probe failed: exit 1",
                                 "Killing: Container app failed liveness probe, will be restarted"])
        #expect(h.actions.contains(.killContainer(name: "app", gracePeriodSeconds: 20)))
        h.advance(10)
        #expect(!h.actions.contains { if case .runProbe = $0 { true } else { false } }, "on hold while killed")
        h.exit("app", code: 137)
        #expect(h.actions.contains(.inspectImage("busybox:1.36")))
        h.run("app", instance: 1)
        #expect(h.containerStatus("app")?.restartCount == 1)
        #expect(h.containerStatus("app")?.lastState?.terminated?.exitCode == 137)
    }

    @Test func readinessFlipsTheReadyCondition() {
        let readiness = Probe(exec: exec, failureThreshold: 1, periodSeconds: 10, successThreshold: 2)
        var h = Harness(pod([container("app", readiness: readiness)]))
        h.sandboxUp()
        h.run("app")
        h.send(.probeResult(container: "app", .readiness, .success))
        #expect(h.condition("Ready")?.status == "False", "needs two successes")
        h.advance(10)
        h.send(.probeResult(container: "app", .readiness, .success))
        #expect(h.condition("Ready")?.status == "True")
        let readySince = h.condition("Ready")?.lastTransitionTime
        h.advance(10)
        h.send(.probeResult(container: "app", .readiness, .success))
        #expect(h.condition("Ready")?.lastTransitionTime == readySince)
        h.advance(10)
        h.send(.probeResult(container: "app", .readiness, .failure(output: "HTTP probe failed with statuscode: 503")))
        #expect(h.lastEvents == ["Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503"])
        #expect(h.condition("Ready")?.status == "False")
        #expect(h.condition("ContainersReady")?.status == "False")
        #expect(h.containerStatus("app")?.ready == false)
        #expect(!h.actions.contains { if case .killContainer = $0 { true } else { false } })
        #expect(h.status.phase == "Running")
    }

    @Test func startupProbeGatesLivenessAndReadiness() {
        let startup = Probe(exec: exec, failureThreshold: 3, periodSeconds: 2)
        let liveness = Probe(exec: exec, periodSeconds: 10)
        var h = Harness(pod([container("app", liveness: liveness, startup: startup)], restartPolicy: "Never"))
        h.sandboxUp()
        h.run("app")
        #expect(h.actions.contains(.runProbe(container: "app", kind: .startup, probe: startup)))
        #expect(!h.actions.contains(.runProbe(container: "app", kind: .liveness, probe: liveness)))
        #expect(h.containerStatus("app")?.started == false)
        #expect(h.containerStatus("app")?.ready == false)
        h.send(.probeResult(container: "app", .startup, .success))
        #expect(h.containerStatus("app")?.started == true)
        #expect(h.containerStatus("app")?.ready == true)
        #expect(h.actions.contains(.runProbe(container: "app", kind: .liveness, probe: liveness)))
        h.advance(2)
        #expect(!h.actions.contains(.runProbe(container: "app", kind: .startup, probe: startup)), "startup done")
    }

    @Test func startupFailureKillsWithoutRestartUnderNever() {
        let startup = Probe(exec: exec, failureThreshold: 1, periodSeconds: 2)
        var h = Harness(pod([container("app", startup: startup)], restartPolicy: "Never"))
        h.sandboxUp()
        h.run("app")
        h.send(.probeResult(container: "app", .startup, .failure(output: "timeout")))
        #expect(h.lastEvents == ["Unhealthy: Startup probe failed: timeout", "Killing: Container app failed startup probe"])
        h.exit("app", code: 143)
        #expect(h.status.phase == "Failed")
    }

    @Test func trackerThresholds() {
        var tracker = ProbeTracker(kind: .readiness, probe: Probe(failureThreshold: 3, successThreshold: 1),
                                   containerStartedAt: t0)
        #expect(tracker.result == .failure)
        let changes = [true, false, false, false].map { tracker.record(success: $0) }
        #expect(changes == [true, false, false, true])
        #expect(tracker.result == .failure)
    }
}
