import APIModel
import Foundation
import Testing
@testable import APIServer

@Suite("OpenAPI documents")
struct OpenAPITests {
    static let documents = OpenAPIDocuments(registry: .builtin)
    static let registry = ResourceRegistry.builtin

    static let groupVersions: [(group: String, version: String, path: String)] = [
        ("", "v1", "api/v1"),
        ("apps", "v1", "apis/apps/v1"),
        ("authorization.k8s.io", "v1", "apis/authorization.k8s.io/v1"),
        ("coordination.k8s.io", "v1", "apis/coordination.k8s.io/v1"),
        ("discovery.k8s.io", "v1", "apis/discovery.k8s.io/v1"),
    ]

    @Test("The v3 index lists every served group-version with the hash of the served document")
    func index() throws {
        let index = try JSONValue(parsing: Self.documents.v3Index())
        let paths = try #require(index["paths"]?.objectValue)
        #expect(Set(paths.keys) == Set(Self.groupVersions.map(\.path)))
        for (group, version, path) in Self.groupVersions {
            let document = try #require(Self.documents.v3(group: group, version: version))
            #expect(paths[path]?["serverRelativeURL"] == .string("/openapi/v3/\(path)?hash=\(document.hash)"))
            #expect(document.hash == DocumentDigest.sha256UpperHex(document.data))
            #expect(document.hash.count == 64 && document.hash == document.hash.uppercased())
        }
        #expect(Self.documents.v3(group: "autoscaling", version: "v1") == nil)
        #expect(Self.documents.v3(group: "apps", version: "v1beta1") == nil)
    }

    @Test("Every kind has a PATCH tagged with its GVK that declares fieldValidation (kubectl's validation gate)")
    func patchGate() throws {
        for (group, version, _) in Self.groupVersions {
            let document = try v3(group, version)
            let patches = operations(in: document, method: "patch")
            // Reviews (create only) have no PATCH: they are never stored.
            for resource in Self.registry.resources(group: group, version: version) where !resource.info.createOnly {
                let gvk = OpenAPIv3Rendering.groupVersionKind(resource.info.groupVersionKind)
                let tagged = patches.filter { $0.operation["x-kubernetes-group-version-kind"] == gvk }
                #expect(!tagged.isEmpty, "no PATCH for \(resource.info.kind)")
                for (path, patch) in tagged {
                    let names = patch["parameters"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
                    #expect(names == ["dryRun", "fieldManager", "fieldValidation", "force"], "\(path)")
                    let types = patch["requestBody"]?["content"]?.objectValue.map { Set($0.keys) }
                    #expect(types == ["application/json-patch+json", "application/merge-patch+json",
                                      "application/strategic-merge-patch+json", "application/apply-patch+yaml"])
                    #expect(patch["x-kubernetes-action"] == .string("patch"))
                }
            }
        }
    }

    @Test("Every $ref of every document resolves inside it, and PodSpec is there for explain")
    func referencesResolve() throws {
        for (group, version, path) in Self.groupVersions {
            let document = try v3(group, version)
            #expect(document["openapi"] == .string("3.0.0"))
            let schemas = try #require(document["components"]?["schemas"]?.objectValue)
            let references = OpenAPIComponents.references(in: document)
            #expect(!references.isEmpty)
            for name in references { #expect(schemas[name] != nil, "\(path): unresolved \(name)") }
            if group == "" || group == "apps" {
                #expect(schemas["io.k8s.api.core.v1.PodSpec"] != nil)
            }
            for name in ["io.k8s.apimachinery.pkg.apis.meta.v1.Status", "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions",
                         "io.k8s.apimachinery.pkg.apis.meta.v1.Patch", "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"] {
                #expect(schemas[name] != nil, "\(path): missing \(name)")
            }
            for resource in Self.registry.resources(group: group, version: version) {
                let schema = try #require(schemas[resource.info.definition])
                #expect(schema["x-kubernetes-group-version-kind"]?.arrayValue?.contains(
                    OpenAPIv3Rendering.groupVersionKind(resource.info.groupVersionKind)) == true)
                #expect((schemas[resource.info.definition + "List"] != nil) == !resource.info.createOnly)
            }
        }
        let core = try v3("", "v1")
        let pod = try #require(core["components"]?["schemas"]?["io.k8s.api.core.v1.Pod"])
        #expect(pod["properties"]?["spec"]?["allOf"] == .array([.object(["$ref": .string("#/components/schemas/io.k8s.api.core.v1.PodSpec")])]))
    }

    @Test("Paths and operation ids follow Kubernetes")
    func operationIDs() throws {
        let core = try v3("", "v1")
        let paths = try #require(core["paths"]?.objectValue)
        #expect(paths["/api/v1/namespaces/{namespace}/pods/{name}"]?["get"]?["operationId"] == .string("readCoreV1NamespacedPod"))
        #expect(paths["/api/v1/namespaces/{namespace}/pods/{name}"]?["patch"]?["operationId"] == .string("patchCoreV1NamespacedPod"))
        #expect(paths["/api/v1/namespaces/{namespace}/pods/{name}"]?["put"]?["operationId"] == .string("replaceCoreV1NamespacedPod"))
        #expect(paths["/api/v1/namespaces/{namespace}/pods/{name}"]?["delete"]?["operationId"] == .string("deleteCoreV1NamespacedPod"))
        #expect(paths["/api/v1/namespaces/{namespace}/pods"]?["post"]?["operationId"] == .string("createCoreV1NamespacedPod"))
        #expect(paths["/api/v1/namespaces/{namespace}/pods"]?["get"]?["operationId"] == .string("listCoreV1NamespacedPod"))
        #expect(paths["/api/v1/namespaces/{namespace}/pods"]?["delete"]?["operationId"] == .string("deleteCoreV1CollectionNamespacedPod"))
        #expect(paths["/api/v1/pods"]?["get"]?["operationId"] == .string("listCoreV1PodForAllNamespaces"))
        #expect(paths["/api/v1/namespaces/{namespace}/pods/{name}/status"]?["patch"]?["operationId"] == .string("patchCoreV1NamespacedPodStatus"))
        #expect(paths["/api/v1/namespaces/{name}"]?["get"]?["operationId"] == .string("readCoreV1Namespace"))
        #expect(paths["/api/v1/namespaces"]?["delete"] == nil)
        #expect(paths["/api/v1/nodes"]?["delete"]?["operationId"] == .string("deleteCoreV1CollectionNode"))
        #expect(paths["/api/v1/"]?["get"]?["operationId"] == .string("getCoreV1APIResources"))
        #expect(paths["/api/v1/namespaces/{namespace}/pods/{name}"]?["delete"]?["responses"]?["200"]?["content"]?["application/json"]?["schema"]
            == .object(["$ref": .string("#/components/schemas/io.k8s.api.core.v1.Pod")]))
        #expect(paths["/api/v1/namespaces/{namespace}/pods"]?["get"]?["responses"]?["200"]?["content"]?["application/json"]?["schema"]
            == .object(["$ref": .string("#/components/schemas/io.k8s.api.core.v1.PodList")]))

        let apps = try v3("apps", "v1")
        let appsPaths = try #require(apps["paths"]?.objectValue)
        #expect(appsPaths["/apis/apps/v1/namespaces/{namespace}/deployments"]?["get"]?["operationId"] == .string("listAppsV1NamespacedDeployment"))
        let scale = try #require(appsPaths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"]?["patch"])
        #expect(scale["operationId"] == .string("patchAppsV1NamespacedDeploymentScale"))
        #expect(scale["x-kubernetes-group-version-kind"] == .object(["group": .string("autoscaling"), "version": .string("v1"), "kind": .string("Scale")]))
        #expect(apps["components"]?["schemas"]?["io.k8s.api.autoscaling.v1.Scale"] != nil)
        #expect(scale["tags"] == .array([.string("apps_v1")]))

        let coordination = try v3("coordination.k8s.io", "v1")
        #expect(coordination["paths"]?["/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name}"]?["get"]?["operationId"]
            == .string("readCoordinationV1NamespacedLease"))
        #expect(coordination["paths"]?["/apis/coordination.k8s.io/v1/leases"]?["get"]?["tags"] == .array([.string("coordination_v1")]))
    }

    @Test("Names: operation infixes and tags of dotted groups")
    func naming() {
        #expect(OpenAPINaming(group: "rbac.authorization.k8s.io", version: "v1").operationInfix == "RbacAuthorizationV1")
        #expect(OpenAPINaming(group: "rbac.authorization.k8s.io", version: "v1").tag == "rbacAuthorization_v1")
        #expect(OpenAPINaming(group: "", version: "v1").operationInfix == "CoreV1")
        #expect(OpenAPINaming(group: "discovery.k8s.io", version: "v1beta1").operationInfix == "DiscoveryV1beta1")
        #expect(OpenAPINaming(group: "apps", version: "v1").documentPath == "apis/apps/v1")
    }

    @Test("Swagger 2.0: same operations, references rewritten to #/definitions/ and resolvable")
    func swagger() throws {
        let data = Self.documents.v2()
        let document = try JSONValue(parsing: data)
        #expect(document["swagger"] == .string("2.0"))
        #expect(!String(decoding: data, as: UTF8.self).contains("#/components/"))
        let definitions = try #require(document["definitions"]?.objectValue)
        var references: [String] = []
        OpenAPIComponents.collectReferences(in: document, prefix: "#/definitions/", into: &references)
        #expect(!references.isEmpty)
        for name in references { #expect(definitions[name] != nil, "unresolved \(name)") }
        let patch = try #require(document["paths"]?["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]?["patch"])
        #expect(patch["operationId"] == .string("patchAppsV1NamespacedDeployment"))
        let parameters = patch["parameters"]?.arrayValue ?? []
        #expect(parameters.contains { $0["name"] == .string("fieldValidation") && $0["type"] == .string("string") })
        #expect(parameters.contains { $0["in"] == .string("body") })
        #expect(patch["consumes"]?.arrayValue?.count == 4)
        #expect(document["paths"]?["/api/v1/namespaces/{namespace}/pods/{name}"]?["get"] != nil)
    }

    @Test("Swagger 2.0 uses plain $ref where v3 wraps it in allOf, as Kubernetes' v2 does")
    func swaggerUnwrapsReferences() throws {
        let document = try JSONValue(parsing: Self.documents.v2())
        let pod = try #require(document["definitions"]?["io.k8s.api.core.v1.Pod"])
        // As in Kubernetes' swagger.json: a plain `$ref`, with the property's description beside it.
        #expect(pod["properties"]?["spec"]?["$ref"] == .string("#/definitions/io.k8s.api.core.v1.PodSpec"))
        #expect(pod["properties"]?["spec"]?["allOf"] == nil)
        #expect(!String(decoding: Self.documents.v2(), as: UTF8.self).contains("\"allOf\""))
    }

    @Test("The protobuf v2 carries the fieldValidation gate and the definitions kubectl 1.27/1.28 read")
    func swaggerProtobuf() throws {
        let document = ProtoMessage(Array(Self.documents.v2Protobuf()))
        #expect(document.strings(1) == ["2.0"])
        let paths = try #require(document.messages(8).first)
        var pathItems: [String: ProtoMessage] = [:]
        for named in paths.messages(2) {
            pathItems[try #require(named.strings(1).first)] = named.messages(2).first
        }
        #expect(pathItems.count == (try JSONValue(parsing: Self.documents.v2()))["paths"]?.objectValue?.count)
        for resource in Self.registry.resources where !resource.info.createOnly {
            let info = resource.info
            let scope = info.namespaced ? "/namespaces/{namespace}" : ""
            let prefix = info.group.isEmpty ? "/api/\(info.version)" : "/apis/\(info.group)/\(info.version)"
            let item = try #require(pathItems[prefix + scope + "/" + info.plural + "/{name}"], "\(info.kind)")
            let patch = try #require(item.messages(8).first)
            let extensions = Dictionary(uniqueKeysWithValues: patch.messages(13).map {
                ($0.strings(1).first ?? "", $0.messages(2).first?.strings(2).first ?? "")
            })
            let gvk = try JSONValue(parsing: try #require(extensions["x-kubernetes-group-version-kind"]))
            #expect(gvk == OpenAPIv3Rendering.groupVersionKind(info.groupVersionKind))
            let queryNames = patch.messages(8).flatMap { $0.messages(1) }.flatMap { $0.messages(2) }
                .flatMap { $0.messages(3) }.flatMap { $0.strings(4) }
            #expect(queryNames == ["dryRun", "fieldManager", "fieldValidation", "force"], "\(info.kind)")
        }
        let definitions = try #require(document.messages(9).first).messages(1).compactMap { $0.strings(1).first }
        #expect(definitions.contains("io.k8s.api.core.v1.PodSpec"))
        #expect(definitions == definitions.sorted())
    }

    @Test("/openapi/v2 negotiation: kubectl's protobuf Accept gets protobuf, anything else JSON")
    func swaggerNegotiation() {
        let kubectl = Self.documents.v2(accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf")
        #expect(kubectl.contentType == "application/com.github.proto-openapi.spec.v2.v1.0+protobuf")
        #expect(kubectl.data == Self.documents.v2Protobuf())
        for accept in [nil, "application/json", "application/json, */*", "text/html",
                       "application/json,application/com.github.proto-openapi.spec.v2@v1.0+protobuf"] {
            let answer = Self.documents.v2(accept: accept)
            #expect(answer.contentType == "application/json")
            #expect(answer.data == Self.documents.v2())
        }
        #expect(Self.documents.v2(accept: "application/json;q=0.5, application/com.github.proto-openapi.spec.v2.v1.0+protobuf")
            .contentType == OpenAPIDocuments.v2ProtobufContentType)
    }

    @Test("Documents are deterministic")
    func deterministic() {
        let again = OpenAPIDocuments(registry: .builtin)
        #expect(again.v3Index() == Self.documents.v3Index())
        #expect(again.v2() == Self.documents.v2())
        #expect(again.v2Protobuf() == Self.documents.v2Protobuf())
        #expect(again.v3(group: "", version: "v1")?.data == Self.documents.v3(group: "", version: "v1")?.data)
    }

    private func v3(_ group: String, _ version: String) throws -> JSONValue {
        try JSONValue(parsing: try #require(Self.documents.v3(group: group, version: version)).data)
    }
}

/// The operations with HTTP method `method` of a v3 document, with their paths.
private func operations(in document: JSONValue, method: String) -> [(path: String, operation: JSONValue)] {
    (document["paths"]?.objectValue ?? [:]).compactMap { path, item in
        item[method].map { (path, $0) }
    }
}

/// Just enough of a protocol-buffer reader to look into the v2 document: the fields of one message.
private struct ProtoMessage {
    private var fields: [(number: Int, payload: [UInt8]?)] = []

    init(_ bytes: [UInt8]) {
        var position = 0
        func varint() -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                result |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { break }
                shift += 7
            }
            return result
        }
        while position < bytes.count {
            let key = varint()
            switch key & 7 {
            case 0:
                _ = varint()
                fields.append((Int(key >> 3), nil))
            case 1:
                position += 8
                fields.append((Int(key >> 3), nil))
            case 2:
                let length = Int(varint())
                fields.append((Int(key >> 3), Array(bytes[position..<min(position + length, bytes.count)])))
                position += length
            default:
                Issue.record("unexpected wire type \(key & 7)")
                return
            }
        }
    }

    /// The embedded messages in field `number`.
    func messages(_ number: Int) -> [ProtoMessage] {
        fields.filter { $0.number == number }.compactMap { $0.payload.map(ProtoMessage.init) }
    }

    /// The strings in field `number`.
    func strings(_ number: Int) -> [String] {
        fields.filter { $0.number == number }.compactMap { $0.payload.map { String(decoding: $0, as: UTF8.self) } }
    }
}
