import APIModel

/// Renders `OpenAPIPathItem`s as a Swagger 2.0 document, the form of `/openapi/v2`: bodies become
/// `in: body` parameters, content types become `consumes`/`produces`, and schemas live under
/// `definitions` with their references rewritten to `#/definitions/`. As in Kubernetes' v2 document, a
/// v3 reference wrapper `{"allOf":[{"$ref":…}]}` becomes a plain `{"$ref":…}`: kubectl's v2 schema
/// parser does not understand `allOf` and would see an untyped value.
enum SwaggerRendering {
    static let referencePrefix = "#/definitions/"

    static func document(paths: [OpenAPIPathItem], schemas: [String: JSONValue]) -> JSONValue {
        .object([
            "swagger": .string("2.0"),
            "info": OpenAPIv3Rendering.info,
            "paths": .object(Dictionary(paths.map { ($0.path, pathItem($0)) }, uniquingKeysWith: { first, _ in first })),
            "definitions": .object(schemas.mapValues(definition)),
            "securityDefinitions": .object(["BearerToken": OpenAPIv3Rendering.bearerToken]),
            "security": .array([.object(["BearerToken": .array([])])]),
        ])
    }

    /// A v3 component schema as a Swagger 2.0 definition.
    static func definition(_ schema: JSONValue) -> JSONValue {
        unwrappingReferences(in: OpenAPIComponents.rewritingReferences(
            in: schema, from: OpenAPIComponents.referencePrefix, to: referencePrefix))
    }

    /// `value` with every `{"allOf":[{"$ref":X}], …}` replaced by `{"$ref":X, …}`, anywhere inside.
    static func unwrappingReferences(in value: JSONValue) -> JSONValue {
        switch value {
        case .object(var members):
            if let wrapped = members["allOf"]?.arrayValue, wrapped.count == 1,
               let target = wrapped[0]["$ref"], wrapped[0].objectValue?.count == 1 {
                members["allOf"] = nil
                members["$ref"] = target
            }
            return .object(members.mapValues(unwrappingReferences))
        case .array(let elements):
            return .array(elements.map(unwrappingReferences))
        default:
            return value
        }
    }

    static func pathItem(_ item: OpenAPIPathItem) -> JSONValue {
        var members: [String: JSONValue] = [:]
        if !item.parameters.isEmpty { members["parameters"] = .array(item.parameters.sortedForRendering.map(parameter)) }
        for operation in item.operations { members[operation.method] = self.operation(operation) }
        return .object(members)
    }

    static func operation(_ operation: OpenAPIOperation) -> JSONValue {
        var parameters = operation.parameters.sortedForRendering.map(parameter)
        if let body = operation.requestBody {
            parameters.insert(.object([
                "name": .string("body"),
                "in": .string("body"),
                "required": .bool(true),
                "schema": reference(body.schema),
            ]), at: 0)
        }
        var produces: [String] = []
        for response in operation.responses {
            for type in response.contentTypes where !produces.contains(type) { produces.append(type) }
        }
        var members: [String: JSONValue] = [
            "description": .string(operation.description),
            "operationId": .string(operation.operationID),
            "tags": .array([.string(operation.tag)]),
            "schemes": .array([.string("https")]),
            "consumes": DiscoveryEntries.strings(operation.requestBody?.contentTypes ?? ["*/*"]),
            "produces": DiscoveryEntries.strings(produces),
            "responses": .object(Dictionary(uniqueKeysWithValues: operation.responses.map { response in
                var members: [String: JSONValue] = ["description": .string(response.description)]
                if let schema = response.schema { members["schema"] = reference(schema) }
                return (response.code, .object(members))
            })),
        ]
        if !parameters.isEmpty { members["parameters"] = .array(parameters) }
        if let action = operation.action { members["x-kubernetes-action"] = .string(action) }
        if let kind = operation.kind { members["x-kubernetes-group-version-kind"] = OpenAPIv3Rendering.groupVersionKind(kind) }
        return .object(members)
    }

    static func parameter(_ parameter: OpenAPIParameter) -> JSONValue {
        var members: [String: JSONValue] = [
            "name": .string(parameter.name),
            "in": .string(parameter.location.rawValue),
            "description": .string(parameter.description),
            "type": .string(parameter.type.rawValue),
            "uniqueItems": .bool(true),
        ]
        if parameter.required { members["required"] = .bool(true) }
        return .object(members)
    }

    static func reference(_ definition: String) -> JSONValue {
        .object(["$ref": .string(referencePrefix + definition)])
    }
}

extension [OpenAPIParameter] {
    /// Sorted by name, then location, as Kubernetes lists parameters.
    fileprivate var sortedForRendering: [OpenAPIParameter] { OpenAPIv3Rendering.sortedParameters(self) }
}
