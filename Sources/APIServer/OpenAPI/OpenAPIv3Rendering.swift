import APIModel

/// Renders `OpenAPIPathItem`s as an OpenAPI 3.0 document, the form of `/openapi/v3/<group-version>`.
enum OpenAPIv3Rendering {
    static let info: JSONValue = .object(["title": .string("Kubernetes"), "version": .string("unversioned")])

    static let bearerToken: JSONValue = .object([
        "description": .string("Bearer Token authentication"),
        "in": .string("header"),
        "name": .string("authorization"),
        "type": .string("apiKey"),
    ])

    /// The whole document: paths plus the component schemas they need.
    static func document(paths: [OpenAPIPathItem], schemas: [String: JSONValue]) -> JSONValue {
        .object([
            "openapi": .string("3.0.0"),
            "info": info,
            "paths": .object(Dictionary(paths.map { ($0.path, pathItem($0)) }, uniquingKeysWith: { first, _ in first })),
            "components": .object([
                "schemas": .object(schemas),
                "securitySchemes": .object(["BearerToken": bearerToken]),
            ]),
        ])
    }

    static func pathItem(_ item: OpenAPIPathItem) -> JSONValue {
        var members: [String: JSONValue] = [:]
        if !item.parameters.isEmpty { members["parameters"] = parameters(item.parameters) }
        for operation in item.operations { members[operation.method] = self.operation(operation) }
        return .object(members)
    }

    static func operation(_ operation: OpenAPIOperation) -> JSONValue {
        var members: [String: JSONValue] = [
            "description": .string(operation.description),
            "operationId": .string(operation.operationID),
            "tags": .array([.string(operation.tag)]),
            "responses": .object(Dictionary(uniqueKeysWithValues: operation.responses.map { ($0.code, response($0)) })),
        ]
        if !operation.parameters.isEmpty { members["parameters"] = parameters(operation.parameters) }
        if let body = operation.requestBody {
            members["requestBody"] = .object(["content": content(schema: body.schema, types: body.contentTypes)])
        }
        if let action = operation.action { members["x-kubernetes-action"] = .string(action) }
        if let kind = operation.kind { members["x-kubernetes-group-version-kind"] = groupVersionKind(kind) }
        return .object(members)
    }

    /// Parameters sorted by name (then location), as Kubernetes lists them.
    static func parameters(_ parameters: [OpenAPIParameter]) -> JSONValue {
        .array(sortedParameters(parameters).map { parameter in
            var members: [String: JSONValue] = [
                "name": .string(parameter.name),
                "in": .string(parameter.location.rawValue),
                "description": .string(parameter.description),
                "schema": .object(["type": .string(parameter.type.rawValue), "uniqueItems": .bool(true)]),
            ]
            if parameter.required { members["required"] = .bool(true) }
            return .object(members)
        })
    }

    static func sortedParameters(_ parameters: [OpenAPIParameter]) -> [OpenAPIParameter] {
        parameters.sorted { ($0.name, $0.location.rawValue) < ($1.name, $1.location.rawValue) }
    }

    static func response(_ response: OpenAPIResponse) -> JSONValue {
        var members: [String: JSONValue] = ["description": .string(response.description)]
        if let schema = response.schema { members["content"] = content(schema: schema, types: response.contentTypes) }
        return .object(members)
    }

    static func content(schema: String, types: [String]) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: types.map { ($0, .object(["schema": reference(schema)])) }))
    }

    static func reference(_ definition: String) -> JSONValue {
        .object(["$ref": .string(OpenAPIComponents.referencePrefix + definition)])
    }

    static func groupVersionKind(_ kind: GroupVersionKind) -> JSONValue {
        .object(["group": .string(kind.group), "version": .string(kind.version), "kind": .string(kind.kind)])
    }
}
