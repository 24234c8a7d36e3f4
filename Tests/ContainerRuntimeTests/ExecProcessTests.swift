import Foundation
import Glibc
import Testing
@testable import ContainerRuntime

/// `ExecProcess` on host commands: the streams, stdin and its end, exit codes, kill, and no inherited
/// descriptors.
@Suite struct ExecProcessTests {
    static func collect(_ process: ExecProcess) async -> [CRILogFormat.Stream: String] {
        var output: [CRILogFormat.Stream: String] = [:]
        for await chunk in process.output { output[chunk.stream, default: ""] += String(decoding: chunk.bytes, as: UTF8.self) }
        return output
    }

    @Test func streamsAndExitCode() async throws {
        let process = try ExecProcess.start(["/bin/sh", "-c", "echo out; echo err >&2; exit 3"], stdin: false)
        #expect(await Self.collect(process) == [.stdout: "out\n", .stderr: "err\n"])
        #expect(await process.wait() == ExitStatus(code: 3))
        #expect(await process.write([1]) == false)
    }

    @Test func stdinUntilClosed() async throws {
        let process = try ExecProcess.start(["/bin/cat"], stdin: true)
        #expect(await process.write(Array("a\n".utf8)))
        #expect(await process.write(Array("b\n".utf8)))
        process.closeStdin()
        #expect(await Self.collect(process) == [.stdout: "a\nb\n"])
        #expect(await process.wait() == ExitStatus(code: 0))
    }

    @Test func killEndsIt() async throws {
        let process = try ExecProcess.start(["/bin/sleep", "100"], stdin: false)
        process.kill(SIGKILL)
        #expect(await process.wait()?.signal == SIGKILL)
    }

    @Test func inheritsOnlyItsStandardStreams() async throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)  // not close-on-exec
        defer { close(fds[0]); close(fds[1]) }
        let process = try ExecProcess.start(["/bin/sh", "-c", "ls /proc/self/fd"], stdin: false)
        let listed = await Self.collect(process)[.stdout, default: ""].split(separator: "\n").compactMap { Int32($0) }
        #expect(!listed.contains(fds[0]) && !listed.contains(fds[1]))
        _ = await process.wait()
    }
}
