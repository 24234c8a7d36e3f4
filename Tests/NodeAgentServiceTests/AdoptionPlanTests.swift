import APIModel
import Testing
@testable import NodeAgentService

@Suite struct AdoptionPlanTests {
    func pod(_ uid: String, phase: String = "Running") -> Pod {
        Pod(metadata: ObjectMeta(name: "p-\(uid)", namespace: "default", uid: uid), status: PodStatus(phase: phase))
    }

    func labels(_ uid: String, _ kind: ContainerLabels.Kind, _ name: String = "") -> ContainerLabels {
        ContainerLabels(kind: kind, podUID: uid, podNamespace: "default", podName: "p-\(uid)", containerName: name,
                        restartCount: 2, cgroupsPath: "/skiff/\(uid)-\(name)")
    }

    @Test func adoptsRunningContainersOfBoundPodsWithRunningSandbox() {
        let plan = AdoptionPlan(
            found: [
                .init(id: "s1", running: true, pid: 10, labels: labels("a", .sandbox)),
                .init(id: "c1", running: true, pid: 11, labels: labels("a", .container, "web")),
                .init(id: "c2", running: false, pid: 0, labels: labels("a", .container, "side")),
            ],
            boundPods: [pod("a")], networkOwners: ["a"], podDirectories: ["a"])
        #expect(plan.adopt["a"]?.sandboxID == "s1")
        #expect(plan.adopt["a"]?.sandboxPID == 10)
        #expect(plan.adopt["a"]?.containers["web"]?.id == "c1")
        #expect(plan.adopt["a"]?.containers["side"] == nil)
        #expect(plan.removeContainers == ["c2"])
        #expect(plan.releaseNetworks.isEmpty)
        #expect(plan.removePodDirectories.isEmpty)
    }

    @Test func removesWhatBelongsToPodsNoLongerHere() {
        let plan = AdoptionPlan(
            found: [
                .init(id: "s-gone", running: true, pid: 10, labels: labels("gone", .sandbox)),
                .init(id: "c-gone", running: true, pid: 11, labels: labels("gone", .container, "web")),
                .init(id: "stray", running: true, pid: 12, labels: nil),
            ],
            boundPods: [], networkOwners: ["gone", "older"], podDirectories: ["gone"])
        #expect(plan.adopt.isEmpty)
        #expect(plan.removeContainers == ["c-gone", "s-gone", "stray"])
        #expect(plan.releaseNetworks == ["gone", "older"])
        #expect(plan.removePodDirectories == ["gone"])
    }

    @Test func podWithDeadSandboxStartsOverButKeepsItsDirectory() {
        let plan = AdoptionPlan(
            found: [
                .init(id: "s1", running: false, pid: 0, labels: labels("a", .sandbox)),
                .init(id: "c1", running: true, pid: 11, labels: labels("a", .container, "web")),
            ],
            boundPods: [pod("a")], networkOwners: ["a"], podDirectories: ["a"])
        #expect(plan.adopt.isEmpty)
        #expect(plan.removeContainers == ["c1", "s1"])
        #expect(plan.releaseNetworks == ["a"])
        #expect(plan.removePodDirectories.isEmpty)
    }

    @Test func terminalPodsAreNotAdopted() {
        let plan = AdoptionPlan(
            found: [.init(id: "s1", running: true, pid: 10, labels: labels("done", .sandbox))],
            boundPods: [pod("done", phase: "Succeeded")], networkOwners: [], podDirectories: [])
        #expect(plan.adopt.isEmpty)
        #expect(plan.removeContainers == ["s1"])
    }

    @Test func aSecondSandboxOfAnAdoptedPodIsRemoved() {
        let plan = AdoptionPlan(
            found: [
                .init(id: "s1", running: true, pid: 10, labels: labels("a", .sandbox)),
                .init(id: "s2", running: true, pid: 20, labels: labels("a", .sandbox)),
            ],
            boundPods: [pod("a")], networkOwners: [], podDirectories: [])
        #expect(plan.adopt["a"]?.sandboxID == "s1")
        #expect(plan.removeContainers == ["s2"])
    }
}
