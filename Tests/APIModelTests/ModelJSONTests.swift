import Foundation
import Testing
@testable import APIModel

/// The generated fast JSON reading and writing against `JSONDecoder`/`JSONEncoder`, the reference: for every
/// kind, a document with every field of every nested type set (built from schema/api-types.json) must read
/// to the same value and write to the same bytes; documents the fast path cannot read exactly must make it
/// give up, so `ModelJSON.decode` answers with `JSONDecoder`'s result or error.
@Suite("Model JSON reading and writing")
struct ModelJSONTests {
    static let schema: [String: JSONValue] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("schema/api-types.json")
        let data = try! Data(contentsOf: url)
        return try! JSONValue(parsing: data).objectValue!
    }()

    /// A value for every property, `depth` levels of references deep (JSON schemas nest recursively).
    static func sample(_ node: JSONValue, name: String, depth: Int) -> JSONValue? {
        if case .string(let ref)? = node["$ref"] {
            let definition = String(ref.split(separator: "/").last!)
            switch definition {
            case "io.k8s.apimachinery.pkg.api.resource.Quantity": return .string("100m")
            case "io.k8s.apimachinery.pkg.apis.meta.v1.Time": return .string("2024-05-01T12:00:00Z")
            case "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": return .string("2024-05-01T12:00:00.123456Z")
            case "io.k8s.apimachinery.pkg.util.intstr.IntOrString": return name.count % 2 == 0 ? .string("25%") : .int(8080)
            case "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1", "io.k8s.apimachinery.pkg.runtime.RawExtension":
                return .object(["f:metadata": .object(["f:labels": .object([".": .object([:])])]), "n": .double(0.5)])
            default:
                guard depth > 0, let defn = schema[definition] else { return nil }
                return object(defn, depth: depth - 1)
            }
        }
        switch node["type"]?.stringValue {
        case "string":
            return node["format"]?.stringValue == "byte" ? .string("aGVsbG8gd29ybGQ=") : .string("\(name) /\"é\\\n\u{1}")
        case "integer":
            return node["format"]?.stringValue == "int64" ? .int(1_234_567_890_123) : .int(-7)
        case "number": return .double(0.25)
        case "boolean": return .bool(name.count % 2 == 0)
        case "array":
            guard let items = node["items"], let element = sample(items, name: name, depth: depth) else { return .array([]) }
            return .array([element, element])
        case "object":
            if let values = node["additionalProperties"] {
                guard let value = sample(values, name: name, depth: depth) else { return .object([:]) }
                return .object(["a.b/c": value, "z": value])
            }
            return .object(["any": .array([.int(1), .string("x"), .null])])
        default:
            return nil
        }
    }

    static func object(_ defn: JSONValue, depth: Int) -> JSONValue {
        var members: [String: JSONValue] = [:]
        for (name, property) in defn["properties"]?.objectValue ?? [:] {
            if let value = sample(property, name: name, depth: depth) { members[name] = value }
        }
        return .object(members)
    }

    static func document(_ gvk: GroupVersionKind) throws -> Data {
        let definition = try #require(schema.first { _, defn in
            defn["x-kubernetes-group-version-kind"]?.arrayValue?.contains {
                $0["kind"]?.stringValue == gvk.kind && $0["version"]?.stringValue == gvk.version
                    && $0["group"]?.stringValue == gvk.group
            } == true
        }).value
        return object(definition, depth: 8).serialized()
    }

    static let referenceEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    func check<T: KubernetesObject & JSONModelCodable>(_ type: T.Type) throws {
        try check(T.self, gvk: T.groupVersionKind)
    }

    func check<T: KubernetesList & JSONModelCodable>(_ type: T.Type) throws {
        try check(T.self, gvk: T.groupVersionKind)
    }

    func check<T: Codable & Hashable & JSONModelCodable>(_ type: T.Type, gvk: GroupVersionKind) throws {
        let data = try Self.document(gvk)
        let reference = try JSONDecoder().decode(T.self, from: data)
        let fast = try #require(ModelJSON.read(T.self, from: data), "fast reading gave up on \(T.self)")
        #expect(fast == reference, "\(T.self)")
        let written = try ModelJSON.encode(fast)
        let expected = try Self.referenceEncoder.encode(reference)
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: expected, as: UTF8.self), "\(T.self)")
        // Every member of the document was known: strict reading accepts it.
        #expect(ModelJSON.read(T.self, from: data, rejectsUnknownFields: true) != nil, "\(T.self)")
    }

    @Test("Every kind reads and writes as JSONDecoder and JSONEncoder do")
    func everyKind() throws {
        try check(Pod.self); try check(PodList.self); try check(PodTemplate.self); try check(Node.self)
        try check(Service.self); try check(Endpoints.self); try check(EndpointSlice.self); try check(ConfigMap.self)
        try check(Secret.self); try check(Namespace.self); try check(Event.self); try check(ServiceAccount.self)
        try check(PersistentVolumeClaim.self); try check(ReplicationController.self); try check(Binding.self)
        try check(Deployment.self); try check(ReplicaSet.self); try check(StatefulSet.self); try check(DaemonSet.self)
        try check(ControllerRevision.self); try check(Lease.self); try check(Eviction.self); try check(Scale.self)
        try check(SelfSubjectAccessReview.self); try check(DeploymentList.self); try check(NodeList.self)
    }

    @Test("A kind read from {} keeps kind and apiVersion nil, as JSONDecoder does")
    func emptyObject() throws {
        let pod = try #require(ModelJSON.read(Pod.self, from: Data("{}".utf8)))
        let reference = try JSONDecoder().decode(Pod.self, from: Data("{}".utf8))
        #expect(pod.kind == nil && pod.apiVersion == nil && pod == reference)
    }

    @Test("Documents the fast path cannot read exactly make it give up", arguments: [
        #"{"spec":{"replicas":"3"}}"#,            // a string for an integer
        #"{"spec":{"replicas":1.5}}"#,            // a fraction for an integer
        #"{"spec":{"replicas":3e0}}"#,            // an exponent for an integer
        #"{"spec":{"replicas":2147483648}}"#,     // beyond Int32
        #"{"spec":{"paused":"true"}}"#,           // a string for a boolean
        #"{"metadata":{"labels":{"a":1}}}"#,      // a number in a string map
        #"{"metadata":{"creationTimestamp":"yesterday"}}"#,
        #"{"metadata":[]}"#,                      // an array for an object
        #"{"spec":{"template":{"spec":{"containers":[null]}}}}"#,
        #"{"spec":{"template":{"spec":{"containers":[{"resources":{"limits":{"cpu":1}}}]}}}}"#,  // a number quantity
        #"{"spec":{},}"#,                         // a trailing comma
        #"{,"spec":{}}"#,                         // a leading comma
        #"{"spec":{}} x"#,                        // text after the document
        #"{"spec":{}"#,                           // cut short
        #"null"#,
    ])
    func givesUp(document: String) {
        #expect(ModelJSON.read(Deployment.self, from: Data(document.utf8)) == nil)
    }

    @Test("ModelJSON.decode falls back to JSONDecoder: its values and its errors")
    func fallback() throws {
        // A number as a quantity: only JSONDecoder reads it.
        let quantity = Data(#"{"spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":2}}}]}}"#.utf8)
        let pod = try ModelJSON.decode(Pod.self, from: quantity)
        #expect(pod.spec?.containers?.first?.resources?.limits?["cpu"] == Quantity("2"))
        #expect(throws: DecodingError.self) {
            try ModelJSON.decode(Deployment.self, from: Data(#"{"spec":{"replicas":"3"}}"#.utf8))
        }
        // With a collector, unknown fields are reported by the fallback.
        let decoder = JSONDecoder()
        let collector = UnknownFieldCollector()
        decoder.userInfo[.unknownFieldCollector] = collector
        _ = try ModelJSON.decode(Pod.self, from: Data(#"{"spec":{"containers":[{"name":"c","imagez":"x"}]}}"#.utf8), decoder: decoder)
        #expect(collector.unknownFields == ["spec.containers[0].imagez"])
        // Without one, they are dropped by the fast path.
        let plain = try ModelJSON.decode(Pod.self, from: Data(#"{"spec":{"containers":[{"name":"c","imagez":"x"}]}}"#.utf8))
        #expect(plain.spec?.containers?.first?.name == "c")
    }

    @Test("managedFields are left out on request, and only they")
    func skipsManagedFields() throws {
        let data = Data(#"{"metadata":{"name":"p","managedFields":[{"manager":"m","fieldsV1":{"f:spec":{}}}]}}"#.utf8)
        let full = try #require(ModelJSON.read(Pod.self, from: data))
        #expect(full.metadata?.managedFields?.first?.manager == "m")
        let trimmed = try #require(ModelJSON.read(Pod.self, from: data, skipsManagedFields: true))
        #expect(trimmed.metadata?.managedFields == nil && trimmed.metadata?.name == "p")
        #expect(try ModelJSON.decode(Pod.self, from: data, decoder: .skippingManagedFields()) == trimmed)
    }

    @Test("Escaped keys and strings, and surrogate pairs, read as JSONDecoder reads them")
    func escapes() throws {
        let data = Data(#"{"metadata":{"n\u0061me":"a\"b\\c\/d\u00e9\ud83d\ude00","labels":{"k\n":"v"}}}"#.utf8)
        let fast = try #require(ModelJSON.read(Pod.self, from: data))
        let reference = try JSONDecoder().decode(Pod.self, from: data)
        #expect(fast == reference)
        #expect(fast.metadata?.name == "a\"b\\c/dé😀")
        // An unpaired surrogate: the fast path gives up.
        #expect(ModelJSON.read(Pod.self, from: Data(#"{"metadata":{"name":"\ud83d"}}"#.utf8)) == nil)
    }
}
