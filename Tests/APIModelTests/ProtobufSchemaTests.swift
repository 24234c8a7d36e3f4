import Foundation
import Testing
import APIModel

/// The field table (schema/proto-fields.json) against Skiff's typed model: for every kind, a message with
/// every field set (built from the table) decodes to JSON that the typed model reads without unknown fields
/// and writes back unchanged.
@Suite struct ProtobufSchemaTests {
    /// schema/proto-fields.json, found from this file (through a symlink if the test is linked elsewhere).
    static func table() -> [String: Any] {
        let here = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = (try? Data(contentsOf: root.appendingPathComponent("schema/proto-fields.json"))) ?? Data()
        return ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any]) ?? [:]
    }

    @Test func theEmbeddedTableIsTheGeneratedFile() throws {
        let here = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let json = try String(contentsOf: root.appendingPathComponent("schema/proto-fields.json"), encoding: .utf8)
        let swift = try String(contentsOf: root.appendingPathComponent(
            "Sources/APIModel/Protobuf/ProtoFields.generated.swift"), encoding: .utf8)
        #expect(swift.contains("#\"\"\"\n" + json + "\"\"\"#"))
    }

    struct KindCase: Sendable, CustomTestStringConvertible {
        let apiVersion: String
        let kind: String
        let goType: String
        let check: @Sendable (Data, JSONDecoder) throws -> Data
        var testDescription: String { kind }

        init<T: Codable & Sendable>(_ apiVersion: String, _ kind: String, _ goType: String, _ type: T.Type) {
            (self.apiVersion, self.kind, self.goType) = (apiVersion, kind, goType)
            self.check = { data, decoder in try JSONEncoder().encode(try decoder.decode(T.self, from: data)) }
        }
    }

    static let kinds: [KindCase] = [
        .init("apps/v1", "Deployment", "apps/v1.Deployment", Deployment.self),
        .init("apps/v1", "ReplicaSet", "apps/v1.ReplicaSet", ReplicaSet.self),
        .init("apps/v1", "StatefulSet", "apps/v1.StatefulSet", StatefulSet.self),
        .init("apps/v1", "DaemonSet", "apps/v1.DaemonSet", DaemonSet.self),
        .init("v1", "Namespace", "core/v1.Namespace", Namespace.self),
        .init("v1", "ConfigMap", "core/v1.ConfigMap", ConfigMap.self),
        .init("v1", "Secret", "core/v1.Secret", Secret.self),
        .init("v1", "Service", "core/v1.Service", Service.self),
        .init("v1", "ServiceAccount", "core/v1.ServiceAccount", ServiceAccount.self),
        .init("v1", "Pod", "core/v1.Pod", Pod.self),
        .init("v1", "ReplicationController", "core/v1.ReplicationController", ReplicationController.self),
        .init("v1", "Node", "core/v1.Node", Node.self),
        .init("v1", "Endpoints", "core/v1.Endpoints", Endpoints.self),
        .init("v1", "Event", "core/v1.Event", Event.self),
        .init("coordination.k8s.io/v1", "Lease", "coordination/v1.Lease", Lease.self),
        .init("discovery.k8s.io/v1", "EndpointSlice", "discovery/v1.EndpointSlice", EndpointSlice.self),
        .init("autoscaling/v1", "Scale", "autoscaling/v1.Scale", Scale.self),
        .init("v1", "DeleteOptions", "meta/v1.DeleteOptions", DeleteOptions.self),
    ]

    @Test(arguments: kinds)
    func everyFieldSetSurvivesTheTypedModel(kind: KindCase) throws {
        let builder = try #require(FullMessageBuilder(table: Self.table()))
        let body = PB.envelope(apiVersion: kind.apiVersion, kind: kind.kind, builder.message(kind.goType))
        let json = try KubernetesProtobuf.decodeToJSON(body)

        let collector = UnknownFieldCollector()
        let decoder = JSONDecoder()
        decoder.userInfo[.unknownFieldCollector] = collector
        let reencoded = try kind.check(json, decoder)
        #expect(collector.unknownFields == [])
        #expect(try JSONValue(parsing: reencoded) == JSONValue(parsing: json))
    }

    /// SelfSubjectAccessReview is not in the typed model; its full message still decodes.
    @Test func selfSubjectAccessReviewWithEveryField() throws {
        let builder = try #require(FullMessageBuilder(table: Self.table()))
        let body = PB.envelope(apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview",
                               builder.message("authorization/v1.SelfSubjectAccessReview"))
        let json = try KubernetesProtobuf.decodeToJSONValue(body)
        #expect(json["spec"]?["resourceAttributes"]?["verb"] == .string("x"))
        #expect(json["status"]?["allowed"] == .bool(true))
    }
}

/// Builds, from the field table, a message of a struct with every field set to a non-zero value (one element
/// per slice, one entry per map, every pointer present).
struct FullMessageBuilder {
    let structs: [String: [[String: Any]]]
    let special: [String: String]
    let scalars: [String: String]

    init?(table: [String: Any]) {
        guard let structs = table["structs"] as? [String: [[String: Any]]],
              let special = table["special"] as? [String: String],
              let scalars = table["scalars"] as? [String: String] else { return nil }
        (self.structs, self.special, self.scalars) = (structs, special, scalars)
    }

    func message(_ type: String, depth: Int = 0) -> [UInt8] {
        guard depth < 30, let fields = structs[type] else { return [] }
        var out: [UInt8] = []
        for field in fields {
            let number = field["number"] as? Int ?? 0
            let typeName = field["type"] as? String ?? ""
            if field["map"] as? Bool == true {
                let valueType = field["value"] as? String ?? ""
                out += PB.entry(number, "k", value(2, valueType, depth: depth))
            } else {
                out += value(number, typeName, depth: depth)
            }
        }
        return out
    }

    /// Field `number` holding a non-zero value of `type`.
    private func value(_ number: Int, _ type: String, depth: Int) -> [UInt8] {
        switch special[type] {
        case "time"?: return PB.message(number, PB.int(1, 1_704_067_200))
        case "microTime"?: return PB.message(number, PB.int(1, 1_704_067_200), PB.int(2, 5_000))
        case "quantity"?: return PB.message(number, PB.string(1, "100m"))
        case "intOrString"?: return PB.message(number, PB.int(1, 1), PB.string(3, "http"))
        case "rawJSON"?: return PB.message(number, PB.string(1, #"{"f:metadata":{}}"#))
        default: break
        }
        switch scalars[type] ?? type {
        case "string": return PB.string(number, "x")
        case "bytes": return PB.bytes(number, [1, 2, 3])
        case "bool": return PB.bool(number, true)
        case "int32", "int64", "int": return PB.int(number, 7)
        default: return PB.bytes(number, message(type, depth: depth + 1))
        }
    }
}
