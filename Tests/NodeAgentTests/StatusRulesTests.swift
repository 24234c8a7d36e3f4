import APIModel
import Foundation
import Testing
@testable import NodeAgent

@Suite struct StatusRulesTests {
    func running() -> ContainerStatus { ContainerStatus(state: ContainerState(running: ContainerStateRunning())) }
    func waiting(after code: Int32? = nil) -> ContainerStatus {
        ContainerStatus(lastState: code.map { ContainerState(terminated: ContainerStateTerminated(exitCode: $0)) },
                        state: ContainerState(waiting: ContainerStateWaiting(reason: "CrashLoopBackOff")))
    }
    func terminated(_ code: Int32) -> ContainerStatus {
        ContainerStatus(state: ContainerState(terminated: ContainerStateTerminated(exitCode: code)))
    }
    func phase(_ policy: String, _ statuses: [ContainerStatus], init initStatuses: [ContainerStatus] = [],
               terminal: Bool = false) -> String {
        PodPhaseRules.phase(spec: PodSpec(restartPolicy: policy), initStatuses: initStatuses, statuses: statuses,
                            podIsTerminal: terminal)
    }

    @Test func phases() {
        #expect(phase("Always", [waiting()]) == "Pending")
        #expect(phase("Always", [running(), waiting()]) == "Pending")
        #expect(phase("Always", [running(), waiting(after: 1)]) == "Running")
        #expect(phase("Always", [terminated(0)]) == "Running")
        #expect(phase("Always", [terminated(0)], terminal: true) == "Succeeded")
        #expect(phase("Always", [terminated(0), terminated(137)], terminal: true) == "Failed")
        #expect(phase("OnFailure", [terminated(0), terminated(0)]) == "Succeeded")
        #expect(phase("OnFailure", [terminated(0), waiting(after: 1)]) == "Running")
        #expect(phase("Never", [terminated(0), terminated(1)]) == "Failed")
        #expect(phase("Never", [running(), terminated(1)]) == "Running")
        #expect(phase("Never", [waiting()], init: [terminated(1)]) == "Failed")
        #expect(phase("OnFailure", [waiting()], init: [waiting(after: 1)]) == "Pending")
        #expect(phase("Always", [waiting()], init: [terminated(0), running()]) == "Pending")
    }

    @Test func conditionsKeepTransitionTimesAndOthersConditions() {
        let earlier = Time(secondsSinceEpoch: 100), now = Time(secondsSinceEpoch: 200)
        let previous = [
            PodCondition(lastTransitionTime: earlier, status: "True", type: "PodScheduled"),
            PodCondition(lastTransitionTime: earlier, status: "True", type: "Initialized"),
            PodCondition(lastTransitionTime: earlier, status: "False", type: "Ready"),
        ]
        var ready = running()
        ready.name = "app"
        ready.ready = true
        let conditions = PodConditionRules.conditions(previous: previous, sandboxReady: true, initStatuses: [],
                                                      statuses: [ready], phase: "Running", now: now)
        let byType = Dictionary(uniqueKeysWithValues: conditions.map { ($0.type ?? "", $0) })
        #expect(byType["PodScheduled"]?.lastTransitionTime == earlier)
        #expect(byType["Initialized"]?.lastTransitionTime == earlier)
        #expect(byType["Ready"]?.status == "True")
        #expect(byType["Ready"]?.lastTransitionTime == now)
        #expect(byType["ContainersReady"]?.status == "True")
        #expect(byType["PodReadyToStartContainers"]?.status == "True")
    }

    @Test func backoffAndGoDurations() {
        var backoff = Backoff()
        #expect(backoff.backoffEnd("c", since: t0, now: t0) == nil)
        backoff.next("c", eventTime: t0, now: t0)
        #expect(backoff.duration("c") == 10)
        backoff.next("c", eventTime: t0, now: t0)
        #expect(backoff.duration("c") == 20)
        #expect(backoff.backoffEnd("c", since: t0, now: t0.addingTimeInterval(5)) == t0.addingTimeInterval(20))
        #expect(GoDuration.format(10) == "10s")
        #expect(GoDuration.format(80) == "1m20s")
        #expect(GoDuration.format(300) == "5m0s")
        #expect(GoDuration.format(0.25) == "0.25s")
        #expect(GoDuration.format(3700) == "1h1m40s")
    }
}
