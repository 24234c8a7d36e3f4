import APIModel
import Foundation
import Testing
@testable import NodeAgent

/// A restarted agent adopts running containers: counts and the last termination come from the API's status.
@Suite struct RestoreHistoryTests {
    @Test func restartCountAndLastStateCarryOver() {
        var p = pod([container("app")])
        let terminated = ContainerStateTerminated(containerID: "skiff://app-1", exitCode: 3,
                                                  finishedAt: Time(t0.addingTimeInterval(-20)), reason: "Error",
                                                  startedAt: Time(t0.addingTimeInterval(-30)))
        p.status?.containerStatuses = [ContainerStatus(lastState: ContainerState(terminated: terminated), name: "app",
                                                       restartCount: 4)]
        var h = Harness(p)
        h.worker.restoreHistory(from: p.status)
        h.sandboxUp()
        h.run("app", instance: 5)
        let status = h.containerStatus("app")
        #expect(status?.restartCount == 4)
        #expect(status?.state?.running != nil)
        #expect(status?.lastState?.terminated?.exitCode == 3)
        #expect(status?.lastState?.terminated?.containerID == "skiff://app-1")
    }

    @Test func withoutHistoryNothingChanges() {
        let p = pod([container("app")])
        var h = Harness(p)
        h.worker.restoreHistory(from: nil)
        h.sandboxUp()
        h.run("app")
        #expect(h.containerStatus("app")?.restartCount == 0)
    }
}
