import APIModel
import Foundation
import Synchronization

/// The OpenAPI documents of the served resources, computed once from the registry and immutable:
/// the v3 index (`/openapi/v3`), one v3 document per group-version (`/openapi/v3/api/v1`,
/// `/openapi/v3/apis/apps/v1`, …) and a Swagger 2.0 JSON document (`/openapi/v2`).
///
/// Every PATCH operation declares the `fieldValidation` query parameter and carries the
/// `x-kubernetes-group-version-kind` of its kind, which is what makes kubectl (`create -f`, `apply`,
/// `edit`) validate on the server instead of downloading the protobuf v2 spec. Each v3 document holds in
/// `components.schemas` every schema its operations reach, so `kubectl explain` works from it alone.
/// Documents are compact JSON with sorted keys, so equal registries give identical bytes and hashes.
public final class OpenAPIDocuments: Sendable {
    private struct Document: Sendable {
        var data: Data
        var hash: String
    }

    /// The v3 documents (by path) and their index.
    private struct V3: Sendable {
        var index: Data
        var documents: [String: Document]
    }

    /// The Swagger 2.0 document as JSON and as protobuf.
    private struct V2: Sendable {
        var json: Data
        var protobuf: Data
    }

    private let registry: ResourceRegistry
    // The documents take several megabytes; they are built on first request (kubectl asks for them only
    // when it validates or explains), not at start, and then kept.
    private let v3State = Mutex<V3?>(nil)
    private let v2State = Mutex<V2?>(nil)

    public init(registry: ResourceRegistry) {
        self.registry = registry
    }

    private var groupVersions: [(group: String, version: String)] {
        var groupVersions: [(group: String, version: String)] = []
        for group in [""] + registry.groups {
            for version in registry.versions(of: group) { groupVersions.append((group, version)) }
        }
        return groupVersions
    }

    private var v3: V3 {
        v3State.withLock { state in
            if let state { return state }
            let infos = registry.resources.map(\.info)
            var documents: [String: Document] = [:]
            var index: [String: JSONValue] = [:]
            for (group, version) in groupVersions {
                let members = infos.filter { $0.group == group && $0.version == version }
                let builder = OpenAPIOperations(group: group, version: version)
                let paths = builder.pathItems(for: members)
                let roots = OpenAPIOperations.referencedSchemas(for: members)
                let data = OpenAPIv3Rendering.document(paths: paths, schemas: OpenAPIComponents.closure(of: roots)).serialized()
                let hash = DocumentDigest.sha256UpperHex(data)
                let path = builder.naming.documentPath
                documents[path] = Document(data: data, hash: hash)
                index[path] = .object(["serverRelativeURL": .string("/openapi/v3/\(path)?hash=\(hash)")])
            }
            let built = V3(index: JSONValue.object(["paths": .object(index)]).serialized(), documents: documents)
            state = built
            return built
        }
    }

    private var v2Documents: V2 {
        v2State.withLock { state in
            if let state { return state }
            let infos = registry.resources.map(\.info)
            var allPaths: [OpenAPIPathItem] = []
            var allRoots: [String] = []
            for (group, version) in groupVersions {
                let members = infos.filter { $0.group == group && $0.version == version }
                allPaths += OpenAPIOperations(group: group, version: version).pathItems(for: members)
                allRoots += OpenAPIOperations.referencedSchemas(for: members)
            }
            let swagger = SwaggerRendering.document(paths: allPaths, schemas: OpenAPIComponents.closure(of: allRoots))
            let built = V2(json: swagger.serialized(), protobuf: Data(SwaggerProtobuf.encode(swagger)))
            state = built
            return built
        }
    }

    public func v3Index() -> Data { v3.index }

    /// `GET /openapi/v3/api/v1` (group `""`) or `/openapi/v3/apis/<group>/<version>`: the document and its
    /// hash (upper-case hex SHA-256 of the bytes, the `hash` of the index URL; use it as the `ETag`). Nil
    /// when the group-version is not served.
    public func v3(group: String, version: String) -> (data: Data, hash: String)? {
        guard let document = v3.documents[OpenAPINaming(group: group, version: version).documentPath] else { return nil }
        return (document.data, document.hash)
    }

    /// `GET /openapi/v2` as JSON (`application/json`): a Swagger 2.0 document of every group-version,
    /// schemas under `definitions`.
    public func v2() -> Data { v2Documents.json }

    /// `GET /openapi/v2` as protobuf: the same document as a gnostic `openapi.v2.Document`, which is the
    /// only form kubectl asks for (`Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`).
    /// kubectl 1.27 and 1.28 need it for the `fieldValidation` gate of `create -f`/`apply` and for
    /// `explain`. Serve it with `v2ProtobufContentType`.
    public func v2Protobuf() -> Data { v2Documents.protobuf }

    /// The media types an `Accept` header may name to get `v2Protobuf()`: the one clients send and the
    /// one Kubernetes answers with.
    public static let v2ProtobufAcceptTypes = [
        "application/com.github.proto-openapi.spec.v2@v1.0+protobuf",
        "application/com.github.proto-openapi.spec.v2.v1.0+protobuf",
    ]

    /// The `Content-Type` Kubernetes answers `v2Protobuf()` with.
    public static let v2ProtobufContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"

    /// `GET /openapi/v2` negotiated on the `Accept` header as Kubernetes does: the first acceptable range
    /// (highest `q` first) picks JSON (`application/json`, `application/*`, `*/*`) or protobuf
    /// (`v2ProtobufAcceptTypes`). No header, or nothing recognised, gives JSON.
    public func v2(accept: String?) -> (data: Data, contentType: String) {
        for range in DiscoveryDocuments.MediaRange.parseList(accept ?? "") {
            if Self.v2ProtobufAcceptTypes.contains(range.mediaType) {
                return (v2Documents.protobuf, Self.v2ProtobufContentType)
            }
            if range.acceptsPlainJSON { return (v2Documents.json, "application/json") }
        }
        return (v2Documents.json, "application/json")
    }
}
