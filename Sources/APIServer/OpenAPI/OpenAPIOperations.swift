import APIModel

/// Builds the paths and operations of one group-version the way Kubernetes lays them out: for each
/// resource the collection, the object, the list across namespaces and the subresources; plus the
/// discovery GET of the group-version. Watch-only `/watch/` paths (deprecated) are not served and not listed,
/// nor are the streaming subresources (`pods/log`, `pods/exec`).
struct OpenAPIOperations {
    static let statusSchema = "io.k8s.apimachinery.pkg.apis.meta.v1.Status"
    static let deleteOptionsSchema = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"
    static let patchSchema = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch"
    static let resourceListSchema = "io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList"
    static let scaleSchema = "io.k8s.api.autoscaling.v1.Scale"
    static let scaleKind = GroupVersionKind(group: "autoscaling", version: "v1", kind: "Scale")

    /// The content types a PATCH body may be sent as.
    static let patchContentTypes = [
        "application/apply-patch+yaml", "application/json-patch+json",
        "application/merge-patch+json", "application/strategic-merge-patch+json",
    ]
    static let responseContentTypes = ["application/json", "application/yaml"]
    static let listResponseContentTypes = ["application/json", "application/json;stream=watch", "application/yaml"]

    let naming: OpenAPINaming

    init(group: String, version: String) {
        naming = OpenAPINaming(group: group, version: version)
    }

    /// Every path of the group-version: the discovery GET, then each resource's paths.
    func pathItems(for infos: [ResourceInfo]) -> [OpenAPIPathItem] {
        [discoveryPath()] + infos.flatMap(pathItems(for:))
    }

    /// The component schemas the operations of `infos` refer to directly (their closure is taken later).
    static func referencedSchemas(for infos: [ResourceInfo]) -> [String] {
        var names = [statusSchema, deleteOptionsSchema, patchSchema, resourceListSchema]
        for info in infos {
            names += info.createOnly ? [info.definition] : [info.definition, listDefinition(of: info)]
            if info.hasScale { names.append(scaleSchema) }
            names += info.subresources.compactMap { actionKinds[$0]?.schema }
        }
        return names
    }

    /// The definition of a kind's list type: `io.k8s.api.core.v1.PodList`.
    static func listDefinition(of info: ResourceInfo) -> String { info.definition + "List" }

    // MARK: Paths

    private func discoveryPath() -> OpenAPIPathItem {
        OpenAPIPathItem(path: naming.pathPrefix + "/", parameters: [], operations: [
            OpenAPIOperation(method: "get", operationID: "get\(naming.operationInfix)APIResources",
                             description: "get available resources", action: nil, kind: nil, tag: naming.tag,
                             parameters: [], requestBody: nil,
                             responses: [ok(Self.resourceListSchema), unauthorized]),
        ])
    }

    private func pathItems(for info: ResourceInfo) -> [OpenAPIPathItem] {
        let scope = info.namespaced ? "/namespaces/{namespace}" : ""
        let collectionPath = naming.pathPrefix + scope + "/" + info.plural
        let itemPath = collectionPath + "/{name}"
        let scopeParameters = info.namespaced ? [OpenAPIParameters.namespace] : []
        let itemParameters = [OpenAPIParameters.name(kind: info.kind)] + scopeParameters + [OpenAPIParameters.pretty]
        let subject = (info.namespaced ? "Namespaced" : "") + info.kind
        if info.createOnly {
            return [OpenAPIPathItem(path: collectionPath, parameters: scopeParameters + [OpenAPIParameters.pretty],
                                    operations: [createOperation(info, subject: subject)])]
        }

        var items = [
            OpenAPIPathItem(path: collectionPath, parameters: scopeParameters + [OpenAPIParameters.pretty],
                            operations: collectionOperations(info, subject: subject)),
            OpenAPIPathItem(path: itemPath, parameters: itemParameters,
                            operations: objectOperations(info, subject: subject)),
        ]
        if info.namespaced {
            items.append(OpenAPIPathItem(
                path: naming.pathPrefix + "/" + info.plural,
                parameters: OpenAPIParameters.list + [OpenAPIParameters.pretty],
                operations: [operation("get", "list", "\(info.kind)ForAllNamespaces", info.groupVersionKind,
                                       "list or watch objects of kind \(info.kind)", parameters: [],
                                       responses: [ok(Self.listDefinition(of: info), list: true), unauthorized])]))
        }
        for subresource in info.subresources.sorted(by: { $0.rawValue < $1.rawValue }) where !subresource.isStreaming {
            items.append(OpenAPIPathItem(path: itemPath + "/" + subresource.rawValue, parameters: itemParameters,
                                         operations: subresourceOperations(info, subresource, subject: subject)))
        }
        return items
    }

    // MARK: Operations

    private func collectionOperations(_ info: ResourceInfo, subject: String) -> [OpenAPIOperation] {
        let gvk = info.groupVersionKind
        var operations = [
            operation("get", "list", subject, gvk, "list or watch objects of kind \(info.kind)",
                      parameters: OpenAPIParameters.list,
                      responses: [ok(Self.listDefinition(of: info), list: true), unauthorized]),
            createOperation(info, subject: subject),
        ]
        if DiscoveryEntries.verbs(of: info).contains("deletecollection") {
            operations.append(operation(
                "delete", "deletecollection", "Collection" + subject, gvk, "delete collection of \(info.kind)",
                verb: "delete", parameters: OpenAPIParameters.deleteCollection,
                body: OpenAPIBody(schema: Self.deleteOptionsSchema, contentTypes: ["*/*"]),
                responses: [ok(Self.statusSchema), unauthorized]))
        }
        return operations
    }

    private func createOperation(_ info: ResourceInfo, subject: String) -> OpenAPIOperation {
        operation("post", "post", subject, info.groupVersionKind, "create \(Self.withArticle(info.kind))", verb: "create",
                  parameters: OpenAPIParameters.write,
                  body: OpenAPIBody(schema: info.definition, contentTypes: ["*/*"]),
                  responses: [ok(info.definition), created(info.definition), accepted(info.definition), unauthorized])
    }

    private func objectOperations(_ info: ResourceInfo, subject: String) -> [OpenAPIOperation] {
        let gvk = info.groupVersionKind
        let deleted = info.returnsDeletedObject ? info.definition : Self.statusSchema
        return [
            operation("get", "get", subject, gvk, "read the specified \(info.kind)", verb: "read",
                      parameters: [], responses: [ok(info.definition), unauthorized]),
            operation("put", "put", subject, gvk, "replace the specified \(info.kind)", verb: "replace",
                      parameters: OpenAPIParameters.write,
                      body: OpenAPIBody(schema: info.definition, contentTypes: ["*/*"]),
                      responses: [ok(info.definition), created(info.definition), unauthorized]),
            operation("patch", "patch", subject, gvk, "partially update the specified \(info.kind)",
                      parameters: OpenAPIParameters.patch,
                      body: OpenAPIBody(schema: Self.patchSchema, contentTypes: Self.patchContentTypes),
                      responses: [ok(info.definition), created(info.definition), unauthorized]),
            operation("delete", "delete", subject, gvk, "delete \(Self.withArticle(info.kind))",
                      parameters: OpenAPIParameters.delete,
                      body: OpenAPIBody(schema: Self.deleteOptionsSchema, contentTypes: ["*/*"]),
                      responses: [ok(deleted), accepted(deleted), unauthorized]),
        ]
    }

    private func subresourceOperations(_ info: ResourceInfo, _ subresource: ResourceInfo.Subresource,
                                       subject: String) -> [OpenAPIOperation] {
        let isScale = subresource == .scale
        let gvk = isScale ? Self.scaleKind : info.groupVersionKind
        let schema = isScale ? Self.scaleSchema : info.definition
        let name = subresource.rawValue
        let suffix = subject + name.prefix(1).uppercased() + name.dropFirst()
        if let action = Self.actionKinds[subresource] {
            return [
                operation("post", "post", suffix, action.kind, "create \(name) of \(Self.withArticle(info.kind))",
                          verb: "create", parameters: OpenAPIParameters.write,
                          body: OpenAPIBody(schema: action.schema, contentTypes: ["*/*"]),
                          responses: [ok(action.schema), created(action.schema), accepted(action.schema), unauthorized]),
            ]
        }
        return [
            operation("get", "get", suffix, gvk, "read \(name) of the specified \(info.kind)", verb: "read",
                      parameters: [], responses: [ok(schema), unauthorized]),
            operation("put", "put", suffix, gvk, "replace \(name) of the specified \(info.kind)", verb: "replace",
                      parameters: OpenAPIParameters.write,
                      body: OpenAPIBody(schema: schema, contentTypes: ["*/*"]),
                      responses: [ok(schema), created(schema), unauthorized]),
            operation("patch", "patch", suffix, gvk, "partially update \(name) of the specified \(info.kind)",
                      parameters: OpenAPIParameters.patch,
                      body: OpenAPIBody(schema: Self.patchSchema, contentTypes: Self.patchContentTypes),
                      responses: [ok(schema), created(schema), unauthorized]),
        ]
    }

    /// The kinds and schemas the action subresources take.
    private static let actionKinds: [ResourceInfo.Subresource: (kind: GroupVersionKind, schema: String)] = [
        .binding: (GroupVersionKind(group: "", version: "v1", kind: "Binding"), "io.k8s.api.core.v1.Binding"),
        .eviction: (GroupVersionKind(group: "policy", version: "v1", kind: "Eviction"), "io.k8s.api.policy.v1.Eviction"),
    ]

    // MARK: Helpers

    /// An operation whose id is `<verb><GroupVersion><subject>`; `verb` defaults to the HTTP method.
    private func operation(_ method: String, _ action: String, _ subject: String, _ kind: GroupVersionKind,
                           _ description: String, verb: String? = nil, parameters: [OpenAPIParameter],
                           body: OpenAPIBody? = nil, responses: [OpenAPIResponse]) -> OpenAPIOperation {
        OpenAPIOperation(method: method, operationID: (verb ?? action) + naming.operationInfix + subject,
                         description: description, action: action, kind: kind, tag: naming.tag,
                         parameters: parameters, requestBody: body, responses: responses)
    }

    private func ok(_ schema: String, list: Bool = false) -> OpenAPIResponse {
        OpenAPIResponse(code: "200", description: "OK", schema: schema,
                        contentTypes: list ? Self.listResponseContentTypes : Self.responseContentTypes)
    }

    private func created(_ schema: String) -> OpenAPIResponse {
        OpenAPIResponse(code: "201", description: "Created", schema: schema, contentTypes: Self.responseContentTypes)
    }

    private func accepted(_ schema: String) -> OpenAPIResponse {
        OpenAPIResponse(code: "202", description: "Accepted", schema: schema, contentTypes: Self.responseContentTypes)
    }

    private var unauthorized: OpenAPIResponse {
        OpenAPIResponse(code: "401", description: "Unauthorized", schema: nil, contentTypes: [])
    }

    /// The kind with the article Kubernetes puts in descriptions: `a Pod`, `an Event`, `Endpoints`.
    static func withArticle(_ kind: String) -> String {
        if kind.hasSuffix("s") { return kind }
        return ("AEIOU".contains(kind.prefix(1)) ? "an " : "a ") + kind
    }
}
