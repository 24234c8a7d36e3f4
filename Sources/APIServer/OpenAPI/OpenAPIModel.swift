import APIModel

/// A format-neutral description of the REST operations of a group-version, rendered as OpenAPI v3
/// (`OpenAPIv3Rendering`) or Swagger 2.0 (`SwaggerRendering`).
struct OpenAPIPathItem {
    /// The path template, e.g. `/api/v1/namespaces/{namespace}/pods/{name}`.
    var path: String
    /// Parameters shared by every operation of the path.
    var parameters: [OpenAPIParameter]
    var operations: [OpenAPIOperation]
}

/// One HTTP operation of a path.
struct OpenAPIOperation {
    /// `get`, `put`, `post`, `patch` or `delete`.
    var method: String
    /// Kubernetes' operation id, e.g. `readCoreV1NamespacedPod`.
    var operationID: String
    var description: String
    /// `x-kubernetes-action`: `get`, `list`, `post`, `put`, `patch`, `delete`, `deletecollection`; nil for
    /// the discovery GET of the group-version.
    var action: String?
    /// `x-kubernetes-group-version-kind`; nil for the discovery GET.
    var kind: GroupVersionKind?
    var tag: String
    var parameters: [OpenAPIParameter]
    var requestBody: OpenAPIBody?
    var responses: [OpenAPIResponse]
}

/// A query or path parameter.
struct OpenAPIParameter {
    enum Location: String { case path, query }
    enum ValueType: String { case string, integer, boolean }

    var name: String
    var location: Location
    var type: ValueType
    var required: Bool
    var description: String
}

/// A request body: the schema it follows and the content types it may be sent as.
struct OpenAPIBody {
    var schema: String
    var contentTypes: [String]
}

/// A response of an operation, with the schema of its body (nil: no body, e.g. 401).
struct OpenAPIResponse {
    var code: String
    var description: String
    var schema: String?
    var contentTypes: [String]
}
