import APIModel
import Foundation
import Testing

@testable import APIClient

@Suite struct WatchLineSplitterTests {
    private func strings(_ lines: [Data]) -> [String] { lines.map { String(decoding: $0, as: UTF8.self) } }

    @Test func splitsLinesInOneChunk() throws {
        var splitter = WatchLineSplitter()
        #expect(strings(try splitter.append(Array("{\"a\":1}\n{\"b\":2}\n".utf8))) == ["{\"a\":1}", "{\"b\":2}"])
        #expect(splitter.finish() == nil)
    }

    @Test func joinsLinesAcrossChunks() throws {
        var splitter = WatchLineSplitter()
        let text = "{\"type\":\"ADDED\"}\n{\"type\":\"MODIFIED\"}\n{\"type\":\"DELETED\"}\n"
        // Every possible split point, and byte-at-a-time.
        for cut in 0...text.utf8.count {
            let bytes = Array(text.utf8)
            var lines = try splitter.append(bytes[0..<cut])
            lines += try splitter.append(bytes[cut...])
            #expect(strings(lines) == ["{\"type\":\"ADDED\"}", "{\"type\":\"MODIFIED\"}", "{\"type\":\"DELETED\"}"])
        }
        var lines: [Data] = []
        for byte in text.utf8 { lines += try splitter.append([byte]) }
        #expect(lines.count == 3)
    }

    @Test func dropsCRAndBlankLines() throws {
        var splitter = WatchLineSplitter()
        let lines = try splitter.append(Array("\n{\"a\":1}\r\n  \n\r\n{\"b\":2}\n".utf8))
        #expect(strings(lines) == ["{\"a\":1}", "{\"b\":2}"])
    }

    @Test func finishReturnsTheUnterminatedLine() throws {
        var splitter = WatchLineSplitter()
        #expect(try splitter.append(Array("{\"a\":1}\n{\"b\"".utf8)).count == 1)
        #expect(try splitter.append(Array(":2}".utf8)).isEmpty)
        #expect(splitter.finish().map { String(decoding: $0, as: UTF8.self) } == "{\"b\":2}")
        #expect(splitter.finish() == nil)
    }

    @Test func limitsLineLength() throws {
        var splitter = WatchLineSplitter(maxLineBytes: 8)
        #expect(throws: WatchStreamError.lineTooLong(8)) { try splitter.append(Array("0123456789".utf8)) }
    }
}

@Suite struct WatchEventDecodingTests {
    private func decode(_ json: String) throws -> WatchEvent<Pod> {
        try WatchEventDecoding.decode(Data(json.utf8), as: Pod.self)
    }

    @Test func decodesObjectEvents() throws {
        let pod = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default","resourceVersion":"12"},"spec":{"containers":[{"name":"app","image":"nginx"}]}}"#
        let added = try decode(#"{"type":"ADDED","object":\#(pod)}"#)
        #expect(added.type == "ADDED")
        #expect(added.object?.metadata?.name == "web")
        #expect(added.object?.spec?.containers?.first?.image == "nginx")
        if case .modified(let object) = try decode(#"{"object":\#(pod),"type":"MODIFIED"}"#) {
            #expect(object.metadata?.resourceVersion == "12")
        } else {
            Issue.record("expected MODIFIED")
        }
        if case .deleted = try decode(#"{"type":"DELETED","object":\#(pod)}"#) {} else { Issue.record("expected DELETED") }
    }

    @Test func decodesBookmarkAndError() throws {
        let bookmark = try decode(#"{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"42"}}}"#)
        #expect(bookmark == .bookmark(resourceVersion: "42"))
        #expect(bookmark.object == nil)
        let error = try decode(#"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}}"#)
        guard case .error(let status) = error else {
            Issue.record("expected ERROR")
            return
        }
        #expect(status.code == 410)
        #expect(status.reason == "Expired")
    }

    @Test func rejectsUnknownTypesAndBadJSON() {
        #expect(throws: WatchStreamError.unknownEventType("SYNC")) { try decode(#"{"type":"SYNC","object":{}}"#) }
        #expect(throws: DecodingError.self) { try decode(#"{"type":"ADDED""#) }
        #expect(throws: DecodingError.self) { try decode(#"{"object":{}}"#) }
    }

    @Test func splitterAndDecoderTogether() throws {
        let stream = """
            {"type":"ADDED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a"}}}
            {"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"7"}}}
            {"type":"DELETED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a"}}}

            """
        let bytes = Array(stream.utf8)
        var splitter = WatchLineSplitter()
        var events: [WatchEvent<Pod>] = []
        for chunk in stride(from: 0, to: bytes.count, by: 37).map({ bytes[$0..<min($0 + 37, bytes.count)] }) {
            for line in try splitter.append(chunk) { events.append(try WatchEventDecoding.decode(line, as: Pod.self)) }
        }
        #expect(events.map(\.type) == ["ADDED", "BOOKMARK", "DELETED"])
        #expect(events[1] == .bookmark(resourceVersion: "7"))
    }

    @Test func clientErrorFromStatusBody() {
        let body = Data(#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"x\" not found","reason":"NotFound","details":{"name":"x","kind":"pods"},"code":404}"#.utf8)
        let error = KubernetesClientError(httpStatus: 404, body: body)
        #expect(error.code == 404)
        #expect(error.reason == "NotFound")
        #expect(error.message == "pods \"x\" not found")
        #expect(error.isNotFound)
        let plain = KubernetesClientError(httpStatus: 500, body: Data("readyz check failed".utf8))
        #expect(plain.code == 500 && plain.reason.isEmpty && plain.message == "readyz check failed")
    }
}
