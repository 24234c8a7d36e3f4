import Foundation
import Testing
@testable import APIModel

/// Setting one member in an encoded object's bytes must give exactly the bytes of encoding the changed object.
@Suite("JSON splice")
struct JSONSpliceTests {
    static let base: JSONValue = .object([
        "apiVersion": .string("v1"), "kind": .string("Pod"),
        "metadata": .object(["labels": .object(["a": .string("b")]), "name": .string("p"), "uid": .string("u")]),
        "spec": .object(["nodeName": .string("n")]),
    ])

    /// The expected result: the member set (or removed) in the value, serialised.
    static func expected(_ key: String, _ value: JSONValue?, in object: JSONValue = base) -> String {
        guard case .object(var members) = object, case .object(var metadata)? = members["metadata"] else { return "" }
        metadata[key] = value
        members["metadata"] = .object(metadata)
        return JSONValue.object(members).serializedString()
    }

    static func spliced(_ key: String, _ value: JSONValue?, in object: JSONValue = base) -> String? {
        JSONSplice.settingMember(["metadata", key], to: value.map { Array($0.serialized()) }, in: object.serialized())
            .map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("Replace, insert first, middle and last, remove first, middle, last and only", arguments: [
        ("name", JSONValue.string("q\"x")),      // replace
        ("annotations", .object(["k": .int(1)])), // insert first
        ("managedFields", .array([.object(["manager": .string("m")])])),  // insert in the middle
        ("zzz", .bool(true)),                     // insert last
        ("labels", nil),                          // remove first
        ("name", nil),                            // remove middle
        ("uid", nil),                             // remove last
        ("absent", nil),                          // remove what is not there
    ] as [(String, JSONValue?)])
    func edits(key: String, value: JSONValue?) throws {
        #expect(Self.spliced(key, value) == Self.expected(key, value))
    }

    @Test("Into an empty object; removing its only member")
    func emptyAndOnly() {
        let empty: JSONValue = .object(["metadata": .object([:])])
        #expect(Self.spliced("name", .string("x"), in: empty) == Self.expected("name", .string("x"), in: empty))
        let only: JSONValue = .object(["metadata": .object(["name": .string("x")])])
        #expect(Self.spliced("name", nil, in: only) == Self.expected("name", nil, in: only))
    }

    @Test("A missing parent object or a document that is not an object gives nil")
    func refuses() {
        #expect(JSONSplice.settingMember(["status", "x"], to: Array("1".utf8), in: Self.base.serialized()) == nil)
        #expect(JSONSplice.settingMember(["a"], to: Array("1".utf8), in: Data("[1]".utf8)) == nil)
        #expect(JSONSplice.settingMember(["a"], to: Array("1".utf8), in: Data(#"{"a":"#.utf8)) == nil)
    }

    @Test("A stored pod's managedFields set by splice equal the re-encoded pod")
    func storedPod() throws {
        var pod = Pod(metadata: ObjectMeta(labels: ["app": "x"], name: "p", namespace: "d"),
                      spec: PodSpec(containers: [Container(image: "i:1", name: "c")]))
        let before = try ModelJSON.encode(pod)
        let entries = [ManagedFieldsEntry(apiVersion: "v1", fieldsType: "FieldsV1",
                                          fieldsV1: .object(["f:spec": .object([:])]), manager: "kubectl", operation: "Update")]
        pod.metadata?.managedFields = entries
        let encodedEntries = Array(try ModelJSON.encode(entries))
        let spliced = try #require(JSONSplice.settingMember(["metadata", "managedFields"], to: encodedEntries, in: before))
        #expect(spliced == (try ModelJSON.encode(pod)))
    }
}
