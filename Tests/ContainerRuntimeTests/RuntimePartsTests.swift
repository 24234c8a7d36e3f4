import Foundation
import Testing
@testable import ContainerRuntime

@Suite struct CRILogFormatTests {
    let time = "2024-01-01T00:00:00.000000000Z"

    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func linesBecomeFullRecords() {
        var format = CRILogFormat(stream: .stdout)
        #expect(text(format.append(Array("hello\nwor".utf8), timestamp: time))
            == "\(time) stdout F hello\n")
        #expect(text(format.append(Array("ld\n\n".utf8), timestamp: time))
            == "\(time) stdout F world\n\(time) stdout F \n")
        #expect(format.finish(timestamp: time).isEmpty)
    }

    @Test func unterminatedLastLineIsWrittenAtEnd() {
        var format = CRILogFormat(stream: .stderr)
        #expect(format.append(Array("no newline".utf8), timestamp: time).isEmpty)
        #expect(text(format.finish(timestamp: time)) == "\(time) stderr F no newline\n")
    }

    @Test func overLongLinesAreSplitIntoPartials() {
        var format = CRILogFormat(stream: .stdout, maxLineSize: 4)
        #expect(text(format.append(Array("abcdefghij\n".utf8), timestamp: time))
            == "\(time) stdout P abcd\n\(time) stdout P efgh\n\(time) stdout F ij\n")
    }

    @Test func timestampsAreRFC3339WithNanoseconds() {
        #expect(CRILogFormat.timestamp(seconds: 1_704_067_200, nanoseconds: 5) == "2024-01-01T00:00:00.000000005Z")
        #expect(CRILogFormat.timestamp(seconds: 951_782_400 + 3661, nanoseconds: 123_456_789)
            == "2000-02-29T01:01:01.123456789Z")
        #expect(CRILogFormat.now().count == 30)
    }
}

@Suite struct CgroupLayoutTests {
    let hybrid = """
        9:name=systemd:/
        4:memory:/process_api/47fb
        1:cpu:/
        0::/
        """

    @Test func ownCgroupIsTheMemoryOneOnV1() {
        #expect(CgroupLayout.ownCgroup(procSelfCgroup: hybrid, version: .hybrid(unifiedControllers: ["hugetlb"]))
            == "/process_api/47fb")
        #expect(CgroupLayout.ownCgroup(procSelfCgroup: "0::/user.slice/x\n", version: .unified) == "/user.slice/x")
        #expect(CgroupLayout.ownCgroup(procSelfCgroup: "", version: .legacy) == "/")
    }

    @Test func oomKillCounter() {
        #expect(CgroupLayout.oomKills(in: "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n") == 2)
        #expect(CgroupLayout.oomKills(in: "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n") == 1)
        #expect(CgroupLayout.oomKills(in: "oom_kill_disable 0\n") == nil)
    }

    @Test func containerPathsAreAbsoluteBelowTheParent() {
        let layout = CgroupLayout(parent: "/process_api/47fb/skiff", root: "/nonexistent", version: .legacy)
        #expect(layout.cgroupsPath(forContainer: "c1") == "/process_api/47fb/skiff/c1")
    }
}

@Suite struct RuntimeFactsTests {
    @Test func waitStatuses() {
        #expect(ExitStatus(waitStatus: 3 << 8) == ExitStatus(code: 3))
        #expect(ExitStatus(waitStatus: 9) == ExitStatus(code: 137, signal: 9))
        #expect(ExitStatus(waitStatus: 15) == ExitStatus(code: 143, signal: 15))
        #expect(ExitStatus(code: 137, signal: 9, oomKilled: true).reason == "OOMKilled")
        #expect(ExitStatus(code: 0).reason == "Completed")
        #expect(ExitStatus(code: 1).reason == "Error")
    }

    @Test func runtimeState() throws {
        let json = #"{"ociVersion":"1.0.2-dev","id":"c1","pid":4242,"status":"running","bundle":"/b/c1","#
            + #""rootfs":"/r","created":"2026-11-25T07:00:00Z","owner":""}"#
        #expect(try ContainerState.parse(Data(json.utf8))
            == ContainerState(id: "c1", status: .running, pid: 4242, bundle: "/b/c1"))
    }

    @Test func crunIsWrappedOnlyOnHybridHostsWithUnifiedControllers() {
        #expect(RuntimeBinary.wrapper(for: .runc, cgroups: .hybrid(unifiedControllers: ["hugetlb"])).isEmpty)
        #expect(RuntimeBinary.wrapper(for: .crun, cgroups: .hybrid(unifiedControllers: [])).isEmpty)
        #expect(RuntimeBinary.wrapper(for: .crun, cgroups: .unified).isEmpty)
        let wrapper = RuntimeBinary.wrapper(for: .crun, cgroups: .hybrid(unifiedControllers: ["hugetlb"]))
        let crun = RuntimeBinary(kind: .crun, path: "/usr/bin/crun", createWrapper: wrapper)
        #expect(crun.command(["create", "x"], creating: true).first == "/usr/bin/unshare")
        #expect(crun.command(["state", "x"]) == ["/usr/bin/crun", "state", "x"])
    }

    @Test func completionWakesWaitersAndTimesOut() async {
        let completion = Completion<Int>()
        #expect(await completion.wait(timeout: .milliseconds(10)) == nil)
        async let waiter = completion.wait()
        completion.complete(7)
        completion.complete(8)
        #expect(await waiter == 7)
        #expect(await completion.wait(timeout: .seconds(5)) == 7)
    }
}
