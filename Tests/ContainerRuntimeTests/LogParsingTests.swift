import Testing
@testable import ContainerRuntime

@Suite struct LogTimeTests {
    @Test func parsesUTCWithNanoseconds() {
        #expect(LogTime(rfc3339: "2024-01-01T00:00:00.000000000Z") == LogTime(seconds: 1_704_067_200))
        #expect(LogTime(rfc3339: "1970-01-01T00:00:01.5Z") == LogTime(seconds: 1, nanoseconds: 500_000_000))
        #expect(LogTime(rfc3339: "2000-02-29T12:34:56.123456789Z")
            == LogTime(seconds: 951_827_696, nanoseconds: 123_456_789))
    }

    @Test func appliesOffsets() {
        #expect(LogTime(rfc3339: "2024-01-01T02:00:00+02:00") == LogTime(seconds: 1_704_067_200))
        #expect(LogTime(rfc3339: "2023-12-31T23:30:00.25-00:30")
            == LogTime(seconds: 1_704_067_200, nanoseconds: 250_000_000))
    }

    @Test func rejectsMalformedTimes() {
        for text in ["", "2024-01-01", "2024-01-01T00:00:00", "2024-13-01T00:00:00Z", "2024-01-01T00:00:00.Z",
                     "2024-01-01T00:00:00.1234567890Z", "2024-01-01T00:00:00Zjunk", "x024-01-01T00:00:00Z"] {
            #expect(LogTime(rfc3339: text) == nil, "\(text)")
        }
    }

    @Test func printsNineFractionalDigitsInUTC() {
        #expect(LogTime(seconds: 1_704_067_200, nanoseconds: 5).description == "2024-01-01T00:00:00.000000005Z")
        #expect(LogTime(rfc3339: "2024-01-01T02:00:00.1+02:00")?.description == "2024-01-01T00:00:00.100000000Z")
    }

    @Test func sinceSecondsIsRelativeToNow() {
        let now = LogTime(seconds: 1000, nanoseconds: 7)
        #expect(LogReadOptions.since(seconds: 30, before: now) == LogTime(seconds: 970, nanoseconds: 7))
    }
}

@Suite struct CRILogDecoderTests {
    func text(_ lines: [LogLine]) -> [String] { lines.map { String(decoding: $0.content, as: UTF8.self) } }

    @Test func parsesRecords() {
        let record = CRILogRecord(line: Array("2024-01-01T00:00:00.5Z stderr P a b  c".utf8))
        #expect(record == CRILogRecord(time: LogTime(seconds: 1_704_067_200, nanoseconds: 500_000_000),
                                       stream: .stderr, partial: true, content: Array("a b  c".utf8)))
        #expect(CRILogRecord(line: Array("2024-01-01T00:00:00Z stdout F".utf8))?.content == [])
        #expect(CRILogRecord(line: Array("2024-01-01T00:00:00Z stdout F:x y".utf8))?.content == Array("y".utf8))
    }

    @Test func joinsPartialRecordsPerStreamAcrossChunks() {
        var decoder = CRILogDecoder()
        #expect(decoder.feed(Array("2024-01-01T00:00:01Z stdout P ab\n2024-01-01T00:00:02Z stderr F e\n2024".utf8))
            .map(\.stream) == [.stderr])
        let lines = decoder.feed(Array("-01-01T00:00:03Z stdout P cd\n2024-01-01T00:00:04Z stdout F ef\n".utf8))
        #expect(text(lines) == ["abcdef\n"])
        #expect(lines.first?.time == LogTime(seconds: 1_704_067_201))
    }

    @Test func skipsMalformedRecords() {
        var decoder = CRILogDecoder()
        let input = "garbage\n2024-01-01T00:00:00Z stdin F no\n2024-01-01T00:00:00Z stdout X no\n"
            + "not-a-time stdout F no\n\n2024-01-01T00:00:00Z stdout F yes\n"
        #expect(text(decoder.feed(Array(input.utf8))) == ["yes\n"])
    }

    @Test func rendererFiltersStampsAndCuts() {
        let lines = [LogLine(time: LogTime(seconds: 10), stream: .stdout, content: Array("one\n".utf8)),
                     LogLine(time: LogTime(seconds: 20), stream: .stderr, content: Array("two\n".utf8)),
                     LogLine(time: LogTime(seconds: 30), stream: .stdout, content: Array("three\n".utf8))]
        var stdoutOnly = LogLineRenderer(options: LogReadOptions(streams: [.stdout]))
        #expect(String(decoding: stdoutOnly.render(lines), as: UTF8.self) == "one\nthree\n")
        var since = LogLineRenderer(options: LogReadOptions(since: LogTime(seconds: 20), timestamps: true))
        #expect(String(decoding: since.render(lines), as: UTF8.self)
            == "1970-01-01T00:00:20.000000000Z two\n1970-01-01T00:00:30.000000000Z three\n")
        var limited = LogLineRenderer(options: LogReadOptions(limitBytes: 6))
        #expect(String(decoding: limited.render(lines), as: UTF8.self) == "one\ntw")
        #expect(limited.exhausted && limited.render(lines).isEmpty)
    }
}
