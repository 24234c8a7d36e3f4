import APIModel
import Foundation
import Glibc
import Testing
@testable import ContainerRuntime

@Suite struct ProcessWatchTests {
    @Test func startTimeFromStat() {
        let line = "1234 (sk iff) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 4 0 987654 1000 200"
        #expect(ProcessWatch.parseStat(line) == 987654)
        #expect(ProcessWatch.parseStat("1234 (z) Z 1 1234 1234 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0") == nil)
        #expect(ProcessWatch.parseStat("garbage") == nil)
        #expect(ProcessWatch.startTime(pid: getpid()) != nil)
    }
}

/// A second driver over the same directories (as an agent after a restart) takes a running container over.
@Suite(.serialized) struct AdoptionIntegrationTests {
    @Test func adoptedContainerCanBeStoppedAndDeleted() async throws {
        try await withRuntimeFixture { fixture in
            let id = fixture.containerID("adopt")
            let spec = try fixture.spec(id: id, command: ["sleep", "1000"])
            try await fixture.runtime.run(id: id, spec: spec, logPath: fixture.logPath(id))
            let state = try await fixture.runtime.state(id: id)
            let successor = try OCIRuntime(binary: fixture.runtime.binary, stateDirectory: fixture.runtime.stateDirectory,
                                           bundleDirectory: fixture.runtime.bundleDirectory, cgroups: fixture.runtime.cgroups)
            #expect(try await successor.list().contains { $0.id == id && $0.status == .running })
            #expect(successor.adopt(id: id, pid: state.pid, cgroupsPath: spec.linux.cgroupsPath))
            let status = try await successor.stop(id: id, grace: .milliseconds(200))
            #expect(status == .unknown)
            try await successor.delete(id: id)
            #expect(try await successor.list().allSatisfy { $0.id != id })
            #expect(!successor.adopt(id: id, pid: state.pid, cgroupsPath: nil))
        }
    }
}
