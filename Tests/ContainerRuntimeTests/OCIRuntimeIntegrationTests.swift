import APIModel
import Foundation
import Glibc
import Testing
@testable import ContainerRuntime

/// Real containers through runc (root only; without root these tests record an issue and fail).
@Suite(.serialized) struct OCIRuntimeIntegrationTests {
    @Test func stdoutAndStderrGoToTheCRILog() async throws {
        try await withRuntimeFixture { fixture in
            let id = fixture.containerID("echo")
            let spec = try fixture.spec(id: id, command: ["sh", "-c", "echo hello from skiff; echo oops >&2"])
            let started = ContinuousClock.now
            try await fixture.runtime.create(id: id, spec: spec, logPath: fixture.logPath(id))
            let created = ContinuousClock.now
            #expect(try await fixture.runtime.state(id: id).status == .created)
            try await fixture.runtime.start(id: id)
            print("create: \(created - started), create→started: \(ContinuousClock.now - started)")
            let status = try await fixture.runtime.wait(id: id)
            #expect(status == ExitStatus(code: 0))
            let log = fixture.log(id)
            #expect(log.contains(" stdout F hello from skiff\n"), "\(log)")
            #expect(log.contains(" stderr F oops\n"), "\(log)")
            #expect(log.split(separator: "\n").allSatisfy { $0.count > 31 && $0.dropFirst(30).first == " " })
            #expect(try await fixture.runtime.state(id: id).status == .stopped)
        }
    }

    @Test func createToRunningLatency() async throws {
        try await withRuntimeFixture { fixture in
            var timings: [(create: Duration, running: Duration)] = []
            for index in 0..<5 {
                let id = fixture.containerID("latency\(index)")
                let spec = try fixture.spec(id: id, command: ["sleep", "1000"])
                let started = ContinuousClock.now
                let pid = try await fixture.runtime.create(id: id, spec: spec, logPath: fixture.logPath(id))
                let created = ContinuousClock.now
                try await fixture.runtime.start(id: id)
                let state = try await fixture.runtime.state(id: id)
                timings.append((created - started, ContinuousClock.now - started))
                #expect(state.status == .running)
                #expect(state.pid == pid)
                #expect(try await fixture.runtime.list().contains { $0.id == id })
            }
            let create = timings.map(\.create).sorted()[2], running = timings.map(\.running).sorted()[2]
            print("\(fixture.runtime.binary.kind), median of 5: create \(create), create→running \(running)")
        }
    }

    @Test func createFailureReportsTheRuntimesError() async throws {
        try await withRuntimeFixture { fixture in
            let id = fixture.containerID("missing")
            let spec = try fixture.spec(id: id, command: ["/bin/no-such-program"])
            await #expect {
                try await fixture.runtime.create(id: id, spec: spec, logPath: fixture.logPath(id))
            } throws: { error in
                guard case RuntimeError.commandFailed(_, _, let message) = error else { return false }
                return message.contains("no-such-program")
            }
        }
    }

    @Test func execRunsInsideTheContainer() async throws {
        try await withRuntimeFixture { fixture in
            let id = try await fixture.run("exec", ["sleep", "1000"])
            let result = try await fixture.runtime.exec(
                id: id, command: ["sh", "-c", "echo $HOSTNAME; readlink /proc/1/exe; echo oops >&2; exit 4"])
            #expect(result.status == ExitStatus(code: 4))
            #expect(String(decoding: result.stdout, as: UTF8.self) == "test\n/bin/busybox\n")
            #expect(String(decoding: result.stderr, as: UTF8.self) == "oops\n")
        }
    }

    @Test func streamingExecPipesStdinAndReportsTheExitCode() async throws {
        try await withRuntimeFixture { fixture in
            let id = try await fixture.run("stream", ["sleep", "1000"])
            let process = try await fixture.runtime.startExec(
                id: id, command: ["sh", "-c", "cat; echo $HOSTNAME; echo oops >&2; exit 5"], stdin: true)
            #expect(await process.write(Array("piped\n".utf8)))
            process.closeStdin()
            var output: [CRILogFormat.Stream: String] = [:]
            for await chunk in process.output { output[chunk.stream, default: ""] += String(decoding: chunk.bytes, as: UTF8.self) }
            #expect(output[.stdout] == "piped\ntest\n")
            #expect(output[.stderr] == "oops\n")
            #expect(await process.wait() == ExitStatus(code: 5))
        }
    }

    @Test func execOnATerminal() async throws {
        try await withRuntimeFixture { fixture in
            let id = try await fixture.run("tty", ["sleep", "1000"])
            let process = try await fixture.runtime.startExec(
                id: id, command: ["sh", "-c", "read line; echo got $line; busybox stty size; [ -t 1 ] && echo isatty; exit 2"],
                stdin: true, tty: true)
            process.resize(width: 100, height: 30)
            #expect(await process.write(Array("hello\n".utf8)))
            var output = ""
            var streams = Set<CRILogFormat.Stream>()
            for await chunk in process.output {
                output += String(decoding: chunk.bytes, as: UTF8.self)
                streams.insert(chunk.stream)
            }
            #expect(output.contains("got hello\r\n"), "\(output)")
            #expect(output.contains("30 100\r\n"), "\(output)")
            #expect(output.contains("isatty"), "\(output)")
            #expect(streams == [.stdout])
            #expect(await process.wait() == ExitStatus(code: 2))
        }
    }

    @Test func deleteRemovesACreatedContainerAndIsIdempotent() async throws {
        try await withRuntimeFixture { fixture in
            let id = fixture.containerID("created")
            try await fixture.runtime.create(id: id, spec: fixture.spec(id: id, command: ["true"]),
                                             logPath: fixture.logPath(id))
            try await fixture.runtime.delete(id: id)
            try await fixture.runtime.delete(id: id)
            #expect(try await fixture.runtime.list().allSatisfy { $0.id != id })
            #expect(!FileManager.default.fileExists(atPath: fixture.runtime.bundlePath(id)))
            await #expect(throws: RuntimeError.unknownContainer(id)) { try await fixture.runtime.wait(id: id) }
        }
    }

    @Test func realExitCode() async throws {
        try await withRuntimeFixture { fixture in
            let id = try await fixture.run("exit3", ["sh", "-c", "exit 3"])
            #expect(try await fixture.runtime.wait(id: id) == ExitStatus(code: 3))
        }
    }

    @Test func stopEndsAProcessThatHandlesSIGTERM() async throws {
        try await withRuntimeFixture { fixture in
            let id = try await fixture.run("term", ["sh", "-c", "trap 'exit 143' TERM; sleep 1000 & wait"])
            try await Self.waitUntilRunning(fixture, id)
            let started = ContinuousClock.now
            let status = try await fixture.runtime.stop(id: id, grace: .seconds(10))
            #expect(status.code == 143)
            #expect(ContinuousClock.now - started < .seconds(5))
            try await fixture.runtime.delete(id: id)
            #expect(Self.zombieChildren().isEmpty, "the container's orphaned `sleep` is reaped")
        }
    }

    @Test func stopEscalatesToSIGKILLAfterTheGracePeriod() async throws {
        try await withRuntimeFixture { fixture in
            // `sleep` as PID 1 of its namespace ignores SIGTERM.
            let id = try await fixture.run("kill", ["sleep", "1000"])
            let started = ContinuousClock.now
            let status = try await fixture.runtime.stop(id: id, grace: .milliseconds(300))
            #expect(status == ExitStatus(code: 137, signal: SIGKILL))
            #expect(ContinuousClock.now - started >= .milliseconds(300))
        }
    }

    @Test func containersSharingANetworkNamespaceShareLoopback() async throws {
        try await withRuntimeFixture { fixture in
            let netns = try fixture.makeNetworkNamespace()
            let sandbox = PodSandbox(hostname: "pod", network: .join(netns))
            let www = fixture.rootfs + "/www"
            try FileManager.default.createDirectory(atPath: www, withIntermediateDirectories: true)
            try "hello-over-loopback\n".write(toFile: www + "/index.html", atomically: true, encoding: .utf8)
            let server = try await fixture.run("server", ["httpd", "-f", "-p", "8080", "-h", "/www"], sandbox: sandbox)
            let client = try await fixture.run("client", ["sh", "-c", """
                for i in $(seq 1 50); do wget -q -O - http://127.0.0.1:8080/ && exit 0; sleep 0.1; done
                exit 1
                """], sandbox: sandbox)
            #expect(try await fixture.runtime.wait(id: client) == ExitStatus(code: 0), "\(fixture.log(client))")
            #expect(fixture.log(client).contains(" stdout F hello-over-loopback\n"), "\(fixture.log(client))")
            let outsider = try await fixture.run("outsider",
                                                 ["wget", "-q", "-T", "1", "-O", "-", "http://127.0.0.1:8080/"])
            #expect(try await fixture.runtime.wait(id: outsider)?.code != 0, "another network namespace sees nothing")
            // httpd as PID 1 ignores SIGTERM.
            #expect(try await fixture.runtime.stop(id: server, grace: .milliseconds(100)).code == 137)
        }
    }

    @Test func memoryLimitOOMIsDetected() async throws {
        try await withRuntimeFixture { fixture in
            let id = try await fixture.run("oom", ["dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"],
                                           resources: ResourceRequirements(limits: ["memory": "16Mi"]))
            let status = try await fixture.runtime.wait(id: id)
            #expect(status == ExitStatus(code: 137, signal: SIGKILL, oomKilled: true))
            #expect(status?.reason == "OOMKilled")
        }
    }

    @Test func crunRunsThroughItsWorkaround() async throws {
        try await withRuntimeFixture(preferring: .crun) { fixture in
            let id = try await fixture.run("crun", ["sh", "-c", "echo via crun; exit 7"])
            #expect(try await fixture.runtime.wait(id: id) == ExitStatus(code: 7))
            #expect(fixture.log(id).contains(" stdout F via crun\n"))
        }
    }

    /// Children of this process that have exited and not been reaped.
    static func zombieChildren() -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        let children = tasks.flatMap { task in
            ((try? String(contentsOfFile: "/proc/self/task/\(task)/children", encoding: .utf8)) ?? "")
                .split(separator: " ").compactMap { Int32($0) }
        }
        return children.filter { pid in
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
        }
    }

    static func waitUntilRunning(_ fixture: RuntimeFixture, _ id: String) async throws {
        // The shell must have installed its trap before the signal arrives: wait for its child to appear.
        let pid = try await fixture.runtime.state(id: id).pid
        for _ in 0..<200 {
            if let children = try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8),
               !children.isEmpty { return }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
