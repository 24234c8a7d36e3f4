import APIModel

/// The OpenAPI v3 component schemas of the served types (`openAPIComponentSchemasJSON`) and the closure
/// of a set of them under `$ref`.
enum OpenAPIComponents {
    /// How a v3 reference to a component schema starts.
    static let referencePrefix = "#/components/schemas/"

    /// Schemas Kubernetes publishes that the generated table does not carry, keyed by definition name.
    static let supplements: [String: JSONValue] = [
        OpenAPIOperations.patchSchema: .object([
            "description": .string("Patch is provided to give a concrete name and type to the Kubernetes PATCH request body."),
            "type": .string("object"),
        ]),
    ]

    /// Every known schema by definition name, parsed once.
    static let all: [String: JSONValue] = {
        var schemas = (try? JSONValue(parsing: openAPIComponentSchemasJSON))?.objectValue ?? [:]
        for (name, schema) in supplements where schemas[name] == nil { schemas[name] = schema }
        return schemas
    }()

    /// The schemas named by `roots` and every schema they reach through `$ref`, transitively. A name
    /// without a schema gets an empty object schema, so that every reference of a document resolves.
    static func closure(of roots: [String]) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        var pending = roots
        while let name = pending.popLast() {
            guard result[name] == nil else { continue }
            let schema = all[name] ?? .object(["type": .string("object")])
            result[name] = schema
            pending += references(in: schema)
        }
        return result
    }

    /// The definition names `value` refers to with `{"$ref": "#/components/schemas/<name>"}`, anywhere inside.
    static func references(in value: JSONValue) -> [String] {
        var names: [String] = []
        collectReferences(in: value, prefix: referencePrefix, into: &names)
        return names
    }

    /// Appends the names of the references with `prefix` found anywhere in `value`.
    static func collectReferences(in value: JSONValue, prefix: String, into names: inout [String]) {
        switch value {
        case .object(let members):
            for (key, member) in members {
                if key == "$ref", let target = member.stringValue, target.hasPrefix(prefix) {
                    names.append(String(target.dropFirst(prefix.count)))
                } else {
                    collectReferences(in: member, prefix: prefix, into: &names)
                }
            }
        case .array(let elements):
            for element in elements { collectReferences(in: element, prefix: prefix, into: &names) }
        default:
            break
        }
    }

    /// `value` with every `$ref` starting with `old` rewritten to start with `new` (v3 → Swagger 2.0).
    static func rewritingReferences(in value: JSONValue, from old: String, to new: String) -> JSONValue {
        switch value {
        case .object(let members):
            var rewritten: [String: JSONValue] = [:]
            for (key, member) in members {
                if key == "$ref", let target = member.stringValue, target.hasPrefix(old) {
                    rewritten[key] = .string(new + target.dropFirst(old.count))
                } else {
                    rewritten[key] = rewritingReferences(in: member, from: old, to: new)
                }
            }
            return .object(rewritten)
        case .array(let elements):
            return .array(elements.map { rewritingReferences(in: $0, from: old, to: new) })
        default:
            return value
        }
    }
}
