import APIModel
import Foundation
import SimulatedNodes
import Testing

@Suite("Simulated pod lifecycle")
struct SimulatedPodLifecycleTests {
    private func pod(annotations: [String: String] = [:], restartPolicy: String = "Always") -> Pod {
        Pod(metadata: ObjectMeta(annotations: annotations, name: "p", namespace: "default", uid: "u1"),
            spec: PodSpec(containers: [Container(image: "busybox:1.36", name: "a"), Container(image: "busybox:1.36", name: "b")],
                          nodeName: "n1", restartPolicy: restartPolicy),
            status: PodStatus(conditions: [PodCondition(status: "True", type: "PodScheduled")], phase: "Pending"))
    }

    private func step(_ pod: inout Pod, at now: Date) -> SimulatedPodLifecycle.Decision {
        let decision = SimulatedPodLifecycle.decide(pod, podIP: "10.128.0.2", hostIP: "10.128.0.1", now: now)
        if let status = decision.status { pod.status = status }
        return decision
    }

    @Test("Bound → ContainerCreating with an IP → Running and Ready, PodScheduled kept")
    func startsAndRuns() throws {
        var pod = pod()
        let now = Date()
        let first = step(&pod, at: now)
        #expect(pod.status?.phase == "Pending")
        #expect(pod.status?.podIP == "10.128.0.2")
        #expect(pod.status?.hostIP == "10.128.0.1")
        #expect(pod.status?.containerStatuses?.map { $0.state?.waiting?.reason } == ["ContainerCreating", "ContainerCreating"])
        #expect(first.wake == now)
        _ = step(&pod, at: now)
        #expect(pod.status?.phase == "Running")
        let statuses = try #require(pod.status?.containerStatuses)
        #expect(statuses.allSatisfy { $0.ready == true && $0.state?.running?.startedAt != nil && $0.restartCount == 0 })
        let conditions = Dictionary(uniqueKeysWithValues: (pod.status?.conditions ?? []).map { ($0.type ?? "", $0.status ?? "") })
        #expect(conditions == ["PodScheduled": "True", "Initialized": "True", "Ready": "True", "ContainersReady": "True",
                               "PodReadyToStartContainers": "True"])
        #expect(step(&pod, at: now) == .nothing)
    }

    @Test("A failing container of a restartPolicy Never pod ends it Failed; exit code 0 ends it Succeeded")
    func neverRestarts() {
        for (code, phase, reason) in [("3", "Failed", "Error"), ("0", "Succeeded", "Completed")] {
            var pod = pod(annotations: [SimulatedPodLifecycle.exitCodeAnnotation: code], restartPolicy: "Never")
            // Statuses keep whole seconds.
            let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
            _ = step(&pod, at: now)
            let running = step(&pod, at: now)
            #expect(running.wake == now.addingTimeInterval(1))
            #expect(step(&pod, at: now.addingTimeInterval(0.5)).status == nil)
            _ = step(&pod, at: now.addingTimeInterval(1))
            #expect(pod.status?.phase == phase)
            #expect(pod.status?.containerStatuses?.first?.state?.terminated?.exitCode == Int32(code))
            #expect(pod.status?.containerStatuses?.first?.state?.terminated?.reason == reason)
        }
    }

    @Test("With restartPolicy Always a failing container backs off in CrashLoopBackOff, then runs again")
    func crashLoops() {
        var pod = pod(annotations: [SimulatedPodLifecycle.exitCodeAnnotation: "1", SimulatedPodLifecycle.runSecondsAnnotation: "0"])
        let now = Date()
        _ = step(&pod, at: now)
        _ = step(&pod, at: now)
        _ = step(&pod, at: now)
        #expect(pod.status?.phase == "Running")
        let status = pod.status?.containerStatuses?.first
        #expect(status?.state?.waiting?.reason == "CrashLoopBackOff")
        #expect(status?.restartCount == 1)
        #expect(status?.lastState?.terminated?.exitCode == 1)
        let waiting = step(&pod, at: now.addingTimeInterval(5))
        #expect(waiting.status == nil)
        #expect(waiting.wake != nil)
        _ = step(&pod, at: now.addingTimeInterval(11))
        #expect(pod.status?.containerStatuses?.first?.state?.running != nil)
        #expect(pod.status?.containerStatuses?.first?.restartCount == 1)
        #expect(SimulatedPodLifecycle.backoff(restarts: 1) == 10)
        #expect(SimulatedPodLifecycle.backoff(restarts: 3) == 40)
        #expect(SimulatedPodLifecycle.backoff(restarts: 10) == 300)
    }

    @Test("OnFailure restarts failures only")
    func onFailure() {
        var pod = pod(annotations: [SimulatedPodLifecycle.exitCodeAnnotation: "0", SimulatedPodLifecycle.runSecondsAnnotation: "0"],
                      restartPolicy: "OnFailure")
        let now = Date()
        for _ in 0..<3 { _ = step(&pod, at: now) }
        #expect(pod.status?.phase == "Succeeded")
    }

    @Test("A pod being deleted is finished at once")
    func deletion() {
        var pod = pod()
        pod.metadata?.deletionTimestamp = Time.now()
        #expect(SimulatedPodLifecycle.decide(pod, podIP: "", hostIP: "", now: Date()).finishDeletion)
    }

    @Test("Pod addresses come from the node's /24, lowest free first, and are reused after release")
    func addresses() {
        var pool = PodIPPool(cidr: SimulatedNodeShape.podCIDR(index: 257))
        #expect(SimulatedNodeShape.podCIDR(index: 257) == "10.129.1.0/24")
        #expect(pool.address(for: "a") == "10.129.1.2")
        #expect(pool.address(for: "b") == "10.129.1.3")
        #expect(pool.address(for: "a") == "10.129.1.2")
        pool.release("a")
        #expect(pool.address(for: "c") == "10.129.1.2")
    }
}
