import Foundation

/// The strategic-merge-patch metadata of the served types, read from their OpenAPI v3 component schemas:
/// for each field, its patch strategy (`x-kubernetes-patch-strategy`: `merge`, `retainKeys`, `replace`, or a
/// comma-separated combination), its merge key (`x-kubernetes-patch-merge-key`), and the schema of its
/// value (a named definition, a map, a list of something, or nothing known).
public struct PatchSchema: Sendable {
    /// The schema of a JSON value as far as patching cares.
    public indirect enum Node: Sendable, Hashable {
        /// Nothing is known: maps merge (with directives honoured), lists are replaced.
        case opaque
        /// An object of the named definition (e.g. `io.k8s.api.core.v1.PodSpec`).
        case definition(String)
        /// An object with arbitrary keys whose values follow the given node (`labels`, `resources.limits`).
        case map(Node)
        /// A list whose elements follow the given node.
        case list(Node)
    }

    /// What the schema says about one field of an object.
    public struct Field: Sendable, Hashable {
        /// The strategy other than `retainKeys`: `"merge"`, `"replace"`, or nil (the default: maps merge,
        /// lists are replaced).
        public var patchStrategy: String?
        /// Whether the strategies include `retainKeys` (which only the diff side uses: when applying, a
        /// `$retainKeys` directive is honoured wherever it appears).
        public var retainKeys: Bool
        /// The key identifying the elements of a merged list of objects (`name`, `containerPort`…).
        public var mergeKey: String?
        /// The schema of the field's value.
        public var node: Node
        /// `x-kubernetes-list-type` of a list field: `"atomic"`, `"set"`, `"map"`, or nil when not annotated.
        public var listType: String?
        /// `x-kubernetes-list-map-keys` of a list field whose list type is `"map"`; empty otherwise.
        public var listMapKeys: [String]
        /// `x-kubernetes-map-type` of an object field: `"atomic"`, `"granular"`, or nil when not annotated.
        public var mapType: String?
        /// Whether the field is listed in the `required` members of the definition that holds it.
        public var isRequired: Bool

        public init(patchStrategy: String? = nil, retainKeys: Bool = false, mergeKey: String? = nil, node: Node = .opaque,
                    listType: String? = nil, listMapKeys: [String] = [], mapType: String? = nil, isRequired: Bool = false) {
            self.patchStrategy = patchStrategy
            self.retainKeys = retainKeys
            self.mergeKey = mergeKey
            self.node = node
            self.listType = listType
            self.listMapKeys = listMapKeys
            self.mapType = mapType
            self.isRequired = isRequired
        }

        /// A field nothing is known about.
        public static let unknown = Field()

        /// The node of the elements when the field's value is a list.
        public var elementNode: Node {
            if case .list(let element) = node { return element }
            return .opaque
        }

        /// The node of the value when it is an object.
        public var objectNode: Node {
            switch node {
            case .definition, .map: return node
            case .opaque, .list: return .opaque
            }
        }
    }

    /// What a named definition describes as a whole.
    public enum DefinitionKind: Sendable, Hashable {
        /// An object with declared properties, merged member by member.
        case object
        /// An object annotated `x-kubernetes-map-type: atomic` (`LabelSelector`, `ObjectReference`…): it is
        /// replaced as a whole.
        case atomicObject
        /// A definition whose values are not objects (`Time`, `Quantity`, `IntOrString`).
        case scalar
        /// An object with neither properties nor additional properties (`RawExtension`, `FieldsV1`): anything.
        case freeform
    }

    private struct Definition: Sendable {
        var properties: [String: Field]
        var additionalProperties: Node?
        var kind: DefinitionKind
    }

    private let definitions: [String: Definition]

    /// The metadata of every type in `openAPIComponentSchemasJSON`, parsed once on first use.
    public static let shared = PatchSchema(componentSchemasJSON: openAPIComponentSchemasJSON)

    /// Reads a JSON object mapping definition names to OpenAPI v3 schemas. Text that does not parse
    /// gives an empty schema (every document then patches as schema-less data).
    public init(componentSchemasJSON: String) {
        let parsed = (try? JSONValue(parsing: componentSchemasJSON)) ?? .object([:])
        self.init(componentSchemas: parsed)
    }

    /// Reads a parsed JSON object mapping definition names to OpenAPI v3 schemas.
    public init(componentSchemas: JSONValue) {
        var definitions: [String: Definition] = [:]
        for (name, schema) in componentSchemas.objectValue ?? [:] {
            var properties: [String: Field] = [:]
            let required = Set((schema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
            for (property, propertySchema) in schema["properties"]?.objectValue ?? [:] {
                var field = PatchSchema.field(from: propertySchema)
                field.isRequired = required.contains(property)
                properties[property] = field
            }
            let additional = schema["additionalProperties"].flatMap { $0.objectValue != nil ? PatchSchema.node(from: $0) : nil }
            let kind: DefinitionKind
            if let type = schema["type"]?.stringValue, type != "object" {
                kind = .scalar
            } else if schema["x-kubernetes-map-type"]?.stringValue == "atomic" {
                kind = .atomicObject
            } else if properties.isEmpty && additional == nil {
                kind = .freeform
            } else {
                kind = .object
            }
            definitions[name] = Definition(properties: properties, additionalProperties: additional, kind: kind)
        }
        self.definitions = definitions
    }

    /// Whether the schema describes `definition`.
    public func contains(definition: String) -> Bool {
        definitions[definition] != nil
    }

    /// What the named definition describes as a whole, or nil when the schema does not describe it.
    public func kind(ofDefinition definition: String) -> DefinitionKind? {
        definitions[definition]?.kind
    }

    /// The node of a document of the named definition; `.opaque` when the definition is unknown.
    public func node(forDefinition definition: String) -> Node {
        contains(definition: definition) ? .definition(definition) : .opaque
    }

    /// What is known about the member `key` of an object described by `node`. Unknown fields, and every
    /// field of an opaque object, are `Field.unknown`.
    public func field(_ key: String, in node: Node) -> Field {
        switch node {
        case .definition(let name):
            guard let definition = definitions[name] else { return .unknown }
            if let field = definition.properties[key] { return field }
            if let additional = definition.additionalProperties { return Field(node: additional) }
            return .unknown
        case .map(let value):
            return Field(node: value)
        case .opaque, .list:
            return .unknown
        }
    }

    // MARK: - Reading OpenAPI

    private static func field(from schema: JSONValue) -> Field {
        var field = Field(node: node(from: schema))
        if let strategies = schema["x-kubernetes-patch-strategy"]?.stringValue {
            for strategy in strategies.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                if strategy == "retainKeys" {
                    field.retainKeys = true
                } else if !strategy.isEmpty {
                    field.patchStrategy = strategy
                }
            }
        }
        if let key = schema["x-kubernetes-patch-merge-key"]?.stringValue, !key.isEmpty {
            field.mergeKey = key
        }
        field.listType = schema["x-kubernetes-list-type"]?.stringValue
        field.listMapKeys = (schema["x-kubernetes-list-map-keys"]?.arrayValue ?? []).compactMap(\.stringValue)
        field.mapType = schema["x-kubernetes-map-type"]?.stringValue
        return field
    }

    private static func node(from schema: JSONValue) -> Node {
        if let reference = schema["$ref"]?.stringValue {
            return definitionNode(reference)
        }
        if let allOf = schema["allOf"]?.arrayValue {
            for member in allOf {
                if let reference = member["$ref"]?.stringValue { return definitionNode(reference) }
            }
        }
        if let items = schema["items"], items.objectValue != nil {
            return .list(node(from: items))
        }
        if let additional = schema["additionalProperties"], additional.objectValue != nil {
            return .map(node(from: additional))
        }
        return .opaque
    }

    private static func definitionNode(_ reference: String) -> Node {
        let name = reference.split(separator: "/").last.map(String.init) ?? reference
        return .definition(name)
    }
}
