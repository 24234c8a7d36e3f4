import APIModel

/// The apply view of a `PatchSchema`: what each field of each definition is, for merging, comparing
/// and tracking ownership.
public struct ApplySchema: Sendable {
    public let patchSchema: PatchSchema

    public init(_ patchSchema: PatchSchema = .shared) {
        self.patchSchema = patchSchema
    }

    /// The schema of a whole object of the named definition (`io.k8s.api.apps.v1.Deployment`);
    /// `.unknown` when the definition is not described.
    public func schema(ofDefinition definition: String) -> ValueSchema {
        schema(of: .definition(definition))
    }

    /// The schema of member `key` of an object with schema `parent`, and whether the member is required.
    func member(_ key: String, of parent: ValueSchema) -> (schema: ValueSchema, isRequired: Bool) {
        switch parent {
        case .structure(let definition):
            let field = patchSchema.field(key, in: .definition(definition))
            return (schema(of: field), field.isRequired)
        case .map(let values):
            return (values, false)
        case .unknown:
            return (.unknown, false)
        case .associativeList, .set, .atomic:
            return (.unknown, false)
        }
    }

    /// The schema of a field, from its list type, map type, and patch strategy (as kube-openapi's
    /// `schemaconv` reads them).
    public func schema(of field: PatchSchema.Field) -> ValueSchema {
        if field.mapType == "atomic" { return .atomic }
        guard case .list(let item) = field.node else { return schema(of: field.node) }
        switch field.listType {
        case "map":
            return field.listMapKeys.isEmpty ? .atomic : .associativeList(keys: field.listMapKeys, item: schema(of: item))
        case "set":
            return .set
        case .some:
            return .atomic
        case nil:
            guard field.patchStrategy == "merge" else { return .atomic }
            if let key = field.mergeKey { return .associativeList(keys: [key], item: schema(of: item)) }
            return .set
        }
    }

    /// The schema of a value described only by its node (no field annotations): list items, map values.
    public func schema(of node: PatchSchema.Node) -> ValueSchema {
        switch node {
        case .opaque:
            return .unknown
        case .definition(let name):
            switch patchSchema.kind(ofDefinition: name) {
            case .object: return .structure(name)
            case .atomicObject, .scalar: return .atomic
            case .freeform, nil: return .unknown
            }
        case .map(let values):
            return .map(schema(of: values))
        case .list:
            return .atomic
        }
    }
}
