import Foundation
import Testing
@testable import ContainerRuntime

/// A temporary directory holding one container's log, removed at the end of the test.
final class LogDirectory {
    let path = NSTemporaryDirectory() + "skiff-logs-\(UUID().uuidString)"
    var log: String { path + "/0.log" }

    init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A CRI record at second `second` of 2024-01-01.
    static func record(_ text: String, second: Int = 0, stream: String = "stdout", tag: String = "F") -> String {
        "2024-01-01T00:00:\(second < 10 ? "0" : "")\(second).000000000Z \(stream) \(tag) \(text)\n"
    }

    func append(_ text: String, to file: String? = nil) throws {
        let path = file ?? log
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    func files() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path).sorted() }

    func read(_ options: LogReadOptions = LogReadOptions()) -> String {
        String(decoding: ContainerLogReader(path: log, options: options).read(), as: UTF8.self)
    }
}

@Suite struct LogRotationTests {
    @Test func rotatesBySizeAndKeepsMaxFiles() throws {
        let directory = try LogDirectory()
        var writer = try #require(LogRotation(path: directory.log, policy: LogRotation.Policy(maxSize: 90,
                                                                                                maxFiles: 3)))
        for second in 0..<10 { writer.write(Array(LogDirectory.record("line \(second)", second: second).utf8)) }
        writer.close()
        // 47-byte records: every second record rotates; 1..3 were deleted, 4 and 5 remain with the live file.
        #expect(try directory.files() == ["0.log", "0.log.4", "0.log.5"])
        #expect(directory.read() == "line 6\nline 7\nline 8\nline 9\n")
        #expect(directory.read(LogReadOptions(tail: 3)) == "line 7\nline 8\nline 9\n")
    }

    @Test func continuesNumberingAfterRestart() throws {
        let directory = try LogDirectory()
        try directory.append("", to: directory.log + ".7")
        var writer = try #require(LogRotation(path: directory.log, policy: LogRotation.Policy(maxSize: 1)))
        writer.write(Array(LogDirectory.record("x").utf8))
        writer.close()
        #expect(try directory.files() == ["0.log", "0.log.7", "0.log.8"])
    }

    @Test func podLayoutPaths() {
        let layout = PodLogLayout(root: "/var/log/pods", namespace: "default", name: "web", uid: "u1")
        #expect(layout.logPath(container: "app", restartCount: 2) == "/var/log/pods/default_web_u1/app/2.log")
        #expect(layout.previousLogPath(container: "app", restartCount: 2) == "/var/log/pods/default_web_u1/app/1.log")
        #expect(layout.previousLogPath(container: "app", restartCount: 0) == nil)
    }
}

@Suite struct ContainerLogReaderTests {
    @Test func tailSpansRotatedFilesOldestFirst() throws {
        let directory = try LogDirectory()
        try directory.append(LogDirectory.record("a") + LogDirectory.record("b"), to: directory.log + ".2")
        try directory.append(LogDirectory.record("c"), to: directory.log + ".10")
        try directory.append(LogDirectory.record("d") + LogDirectory.record("e"))
        #expect(directory.read() == "a\nb\nc\nd\ne\n")
        #expect(directory.read(LogReadOptions(tail: 4)) == "b\nc\nd\ne\n")
        #expect(directory.read(LogReadOptions(tail: 0)) == "")
    }

    @Test func sinceTimestampsAndLimitBytes() throws {
        let directory = try LogDirectory()
        try directory.append(LogDirectory.record("early", second: 1) + LogDirectory.record("err", second: 5,
                                                                                           stream: "stderr")
                             + LogDirectory.record("late", second: 9))
        let now = try #require(LogTime(rfc3339: "2024-01-01T00:00:10Z"))
        #expect(directory.read(LogReadOptions(since: LogReadOptions.since(seconds: 5, before: now))) == "err\nlate\n")
        #expect(directory.read(LogReadOptions(tail: 1, timestamps: true))
            == "2024-01-01T00:00:09.000000000Z late\n")
        #expect(directory.read(LogReadOptions(limitBytes: 8)) == "early\ner")
        #expect(directory.read(LogReadOptions(streams: [.stderr])) == "err\n")
    }

    @Test func partialsJoinAcrossARotationAndMalformedLinesAreSkipped() throws {
        let directory = try LogDirectory()
        try directory.append("junk\n" + LogDirectory.record("he", tag: "P"), to: directory.log + ".1")
        try directory.append(LogDirectory.record("llo") + "2024-01-01 broken\n" + LogDirectory.record("ok"))
        #expect(directory.read(LogReadOptions(timestamps: true))
            == "2024-01-01T00:00:00.000000000Z hello\n2024-01-01T00:00:00.000000000Z ok\n")
    }

    @Test func missingLogReadsEmpty() throws {
        let directory = try LogDirectory()
        #expect(directory.read().isEmpty)
    }

    @Test func followSeesAppendsAndARotationThenEndsOnExit() async throws {
        let directory = try LogDirectory()
        try directory.append(LogDirectory.record("first"))
        let exited = Completion<Void>()
        let watchdog = Task {
            try await Task.sleep(for: .seconds(10))
            exited.complete(())
        }
        defer { watchdog.cancel() }
        let reader = ContainerLogReader(path: directory.log, options: LogReadOptions(tail: 1))
        var chunks = reader.follow(pollInterval: .milliseconds(5)) { exited.value != nil }.makeAsyncIterator()
        #expect(await chunks.next().map { String(decoding: $0, as: UTF8.self) } == "first\n")
        try directory.append(LogDirectory.record("second"))
        #expect(await chunks.next().map { String(decoding: $0, as: UTF8.self) } == "second\n")
        var writer = try #require(LogRotation(path: directory.log, policy: LogRotation.Policy(maxSize: 1)))
        writer.write(Array(LogDirectory.record("third").utf8))
        writer.write(Array(LogDirectory.record("fourth").utf8))
        writer.close()
        var seen = ""
        while seen != "third\nfourth\n", let chunk = await chunks.next() {
            seen += String(decoding: chunk, as: UTF8.self)
        }
        #expect(seen == "third\nfourth\n")
        try directory.append(LogDirectory.record("last"))
        exited.complete(())
        var rest = ""
        while let chunk = await chunks.next() { rest += String(decoding: chunk, as: UTF8.self) }
        #expect(rest == "last\n")
    }

    @Test func followStopsAtLimitBytes() async throws {
        let directory = try LogDirectory()
        try directory.append(LogDirectory.record("abcdef"))
        let reader = ContainerLogReader(path: directory.log, options: LogReadOptions(limitBytes: 3))
        var output: [UInt8] = []
        for await chunk in reader.follow(pollInterval: .milliseconds(5), exited: { false }) { output += chunk }
        #expect(output == Array("abc".utf8))
    }
}
