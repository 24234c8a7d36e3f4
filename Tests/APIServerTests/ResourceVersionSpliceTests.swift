import Foundation
import Testing
@testable import APIServer

@Suite("resourceVersion splicing")
struct ResourceVersionSpliceTests {
    private func spliced(_ json: String, _ revision: Int64 = 42) throws -> [String: Any] {
        let out = ResourceVersionSplice.splice(Data(json.utf8), revision: revision)
        return try #require(try JSONSerialization.jsonObject(with: out) as? [String: Any])
    }

    @Test("inserts into metadata whatever the member order")
    func anyOrder() throws {
        let object = try spliced(#"{"spec":{"x":1},"kind":"Pod","metadata":{"name":"a"},"apiVersion":"v1"}"#)
        let meta = try #require(object["metadata"] as? [String: Any])
        #expect(meta["resourceVersion"] as? String == "42")
        #expect(meta["name"] as? String == "a")
    }

    @Test("ignores metadata keys nested in earlier members and inside strings")
    func nested() throws {
        let json = #"{"data":{"metadata":{"name":"inner"}},"note":"\"metadata\":{","items":[{"metadata":{}}],"metadata":{}}"#
        let object = try spliced(json, 7)
        #expect((object["metadata"] as? [String: Any])?["resourceVersion"] as? String == "7")
        let inner = try #require((object["data"] as? [String: Any])?["metadata"] as? [String: Any])
        #expect(inner["resourceVersion"] == nil)
        #expect(object["note"] as? String == #""metadata":{"#)
    }

    @Test("empty metadata gets exactly one member")
    func emptyMetadata() throws {
        let out = ResourceVersionSplice.splice(Data(#"{"kind":"X","metadata":{}}"#.utf8), revision: 3)
        #expect(String(decoding: out, as: UTF8.self) == #"{"kind":"X","metadata":{"resourceVersion":"3"}}"#)
    }

    @Test("a document without metadata gets one")
    func missingMetadata() throws {
        let object = try spliced(#"{"kind":"X"}"#, 5)
        #expect((object["metadata"] as? [String: Any])?["resourceVersion"] as? String == "5")
    }
}

@Suite("resourceVersion restamping")
struct ResourceVersionRestampTests {
    @Test("replaces the spliced resourceVersion and nothing else")
    func restamp() throws {
        let stored = Data(#"{"data":{"metadata":{"resourceVersion":"1"}},"kind":"X","metadata":{"name":"a"}}"#.utf8)
        let first = ResourceVersionSplice.splice(stored, revision: 9)
        let again = ResourceVersionSplice.restamp(first, revision: 12)
        let object = try #require(try JSONSerialization.jsonObject(with: again) as? [String: Any])
        let meta = try #require(object["metadata"] as? [String: Any])
        #expect(meta["resourceVersion"] as? String == "12")
        #expect(meta["name"] as? String == "a")
        #expect(((object["data"] as? [String: Any])?["metadata"] as? [String: Any])?["resourceVersion"] as? String == "1")
    }
}
