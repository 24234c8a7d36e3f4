import APIModel

/// Encodes a Swagger 2.0 document (as `SwaggerRendering` builds it) as the protocol buffer kubectl asks
/// `/openapi/v2` for (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`): a gnostic
/// `openapi.v2.Document`. kubectl 1.27 and 1.28 read only this form, both for the `fieldValidation`
/// gate of `create -f`/`apply` and for `explain`; newer kubectl fall back to it when v3 lacks the gate.
///
/// Only the members Skiff's documents use are encoded: paths with their operations, query/path/body
/// parameters and responses; definitions with `$ref`, `type`, `format`, `description`, `required`,
/// `enum`, `default`, `items`, `allOf`, `properties`, `additionalProperties`; and every `x-` extension,
/// whose value travels as YAML (JSON text, which YAML reads).
enum SwaggerProtobuf {
    static func encode(_ document: JSONValue) -> [UInt8] {
        var writer = SwaggerProtobufWriter()
        writer.string(1, document["swagger"]?.stringValue ?? "2.0")
        if let documentInfo = document["info"] {
            writer.message(2) { info(&$0, documentInfo) }
        }
        writer.message(8) { paths(&$0, document["paths"]?.objectValue ?? [:]) }
        if let definitions = document["definitions"]?.objectValue {
            writer.message(9) { writer in
                for name in definitions.keys.sorted() {
                    writer.message(1) { named in
                        named.string(1, name)
                        named.message(2) { schema(&$0, definitions[name]!) }
                    }
                }
            }
        }
        extensions(&writer, 16, of: document)
        return writer.bytes
    }

    private static func info(_ writer: inout SwaggerProtobufWriter, _ info: JSONValue) {
        writer.string(1, info["title"]?.stringValue ?? "")
        writer.string(2, info["version"]?.stringValue ?? "")
        writer.string(3, info["description"]?.stringValue ?? "")
    }

    private static func paths(_ writer: inout SwaggerProtobufWriter, _ paths: [String: JSONValue]) {
        for path in paths.keys.sorted() {
            writer.message(2) { named in
                named.string(1, path)
                named.message(2) { pathItem(&$0, paths[path]!) }
            }
        }
    }

    /// `PathItem`: `$ref` 1, get 2, put 3, post 4, delete 5, options 6, head 7, patch 8, parameters 9,
    /// extensions 10.
    private static func pathItem(_ writer: inout SwaggerProtobufWriter, _ item: JSONValue) {
        for (method, field) in [("get", 2), ("put", 3), ("post", 4), ("delete", 5), ("options", 6), ("head", 7), ("patch", 8)] {
            if let operation = item[method] { writer.message(field) { self.operation(&$0, operation) } }
        }
        for parameter in item["parameters"]?.arrayValue ?? [] {
            writer.message(9) { parametersItem(&$0, parameter) }
        }
        extensions(&writer, 10, of: item)
    }

    /// `Operation`: tags 1, description 3, operationId 5, produces 6, consumes 7, parameters 8,
    /// responses 9, schemes 10, extensions 13.
    private static func operation(_ writer: inout SwaggerProtobufWriter, _ operation: JSONValue) {
        writer.strings(1, stringArray(operation["tags"]))
        writer.string(3, operation["description"]?.stringValue ?? "")
        writer.string(5, operation["operationId"]?.stringValue ?? "")
        writer.strings(6, stringArray(operation["produces"]))
        writer.strings(7, stringArray(operation["consumes"]))
        for parameter in operation["parameters"]?.arrayValue ?? [] {
            writer.message(8) { parametersItem(&$0, parameter) }
        }
        if let responses = operation["responses"]?.objectValue {
            writer.message(9) { writer in
                for code in responses.keys.sorted() {
                    writer.message(1) { named in
                        named.string(1, code)
                        named.message(2) { value in
                            value.message(1) { response in
                                response.string(1, responses[code]?["description"]?.stringValue ?? "")
                                if let body = responses[code]?["schema"] {
                                    response.message(2) { item in item.message(1) { schema(&$0, body) } }
                                }
                            }
                        }
                    }
                }
            }
        }
        writer.strings(10, stringArray(operation["schemes"]))
        extensions(&writer, 13, of: operation)
    }

    /// `ParametersItem.parameter` → `Parameter`: body parameters as `BodyParameter` (1), query and path
    /// parameters as `NonBodyParameter` (2) sub-schemas 3 and 4.
    private static func parametersItem(_ writer: inout SwaggerProtobufWriter, _ parameter: JSONValue) {
        let location = parameter["in"]?.stringValue ?? ""
        let name = parameter["name"]?.stringValue ?? ""
        let description = parameter["description"]?.stringValue ?? ""
        let required = parameter["required"] == .bool(true)
        let type = parameter["type"]?.stringValue ?? ""
        let uniqueItems = parameter["uniqueItems"] == .bool(true)
        writer.message(1) { wrapper in
            switch location {
            case "body":
                wrapper.message(1) { body in
                    body.string(1, description)
                    body.string(2, name)
                    body.string(3, location)
                    body.bool(4, required)
                    if let bodySchema = parameter["schema"] { body.message(5) { schema(&$0, bodySchema) } }
                }
            case "query":
                wrapper.message(2) { nonBody in
                    nonBody.message(3) { query in
                        query.bool(1, required)
                        query.string(2, location)
                        query.string(3, description)
                        query.string(4, name)
                        query.string(6, type)
                        query.bool(20, uniqueItems)
                    }
                }
            case "path":
                wrapper.message(2) { nonBody in
                    nonBody.message(4) { path in
                        path.bool(1, required)
                        path.string(2, location)
                        path.string(3, description)
                        path.string(4, name)
                        path.string(5, type)
                        path.bool(19, uniqueItems)
                    }
                }
            default:
                break
            }
        }
    }

    /// `Schema`: `$ref` 1, format 2, title 3, description 4, default 5, required 19, enum 20,
    /// additionalProperties 21, type 22, items 23, allOf 24, properties 25, extensions 31.
    private static func schema(_ writer: inout SwaggerProtobufWriter, _ schema: JSONValue) {
        writer.string(1, schema["$ref"]?.stringValue ?? "")
        writer.string(2, schema["format"]?.stringValue ?? "")
        writer.string(3, schema["title"]?.stringValue ?? "")
        writer.string(4, schema["description"]?.stringValue ?? "")
        if let value = schema["default"] { writer.message(5) { any(&$0, value) } }
        writer.strings(19, stringArray(schema["required"]))
        for value in schema["enum"]?.arrayValue ?? [] { writer.message(20) { any(&$0, value) } }
        switch schema["additionalProperties"] {
        case .object?:
            writer.message(21) { item in item.message(1) { self.schema(&$0, schema["additionalProperties"]!) } }
        case .bool(let allowed)?:
            writer.message(21) { item in item.bool(2, allowed) }
        default:
            break
        }
        if let type = schema["type"]?.stringValue { writer.message(22) { $0.strings(1, [type]) } }
        if let items = schema["items"] {
            writer.message(23) { list in list.message(1) { self.schema(&$0, items) } }
        }
        for member in schema["allOf"]?.arrayValue ?? [] { writer.message(24) { self.schema(&$0, member) } }
        if let properties = schema["properties"]?.objectValue {
            writer.message(25) { writer in
                for name in properties.keys.sorted() {
                    writer.message(1) { named in
                        named.string(1, name)
                        named.message(2) { self.schema(&$0, properties[name]!) }
                    }
                }
            }
        }
        extensions(&writer, 31, of: schema)
    }

    /// The `x-` members of an object as repeated `NamedAny` in `field`.
    private static func extensions(_ writer: inout SwaggerProtobufWriter, _ field: Int, of value: JSONValue) {
        guard let members = value.objectValue else { return }
        for key in members.keys.sorted() where key.hasPrefix("x-") {
            writer.message(field) { named in
                named.string(1, key)
                named.message(2) { any(&$0, members[key]!) }
            }
        }
    }

    /// `Any` with its `yaml` (field 2) holding the value as JSON text.
    private static func any(_ writer: inout SwaggerProtobufWriter, _ value: JSONValue) {
        writer.string(2, value.serializedString() + "\n")
    }

    private static func stringArray(_ value: JSONValue?) -> [String] {
        value?.arrayValue?.compactMap(\.stringValue) ?? []
    }
}
