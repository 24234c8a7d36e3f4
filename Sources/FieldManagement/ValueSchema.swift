import APIModel

/// How server-side apply treats a value: smd's view of the OpenAPI schema.
public indirect enum ValueSchema: Sendable, Hashable {
    /// An object of the named definition: merged, compared and owned field by field; never owned itself.
    case structure(String)
    /// An object with arbitrary keys (`additionalProperties`: labels, annotations, `resources.limits`),
    /// whose values follow the given schema: merged entry by entry.
    case map(ValueSchema)
    /// A list whose items are objects identified by the values of the key fields
    /// (`x-kubernetes-list-type: map`, or patch strategy `merge` with a merge key).
    case associativeList(keys: [String], item: ValueSchema)
    /// A list of distinct scalars, identified by themselves (`x-kubernetes-list-type: set`, or patch
    /// strategy `merge` without a merge key).
    case set
    /// A value replaced and owned as a whole: scalars (including `Quantity`, `IntOrString`, `Time`),
    /// atomic lists, maps annotated `x-kubernetes-map-type: atomic` (`nodeSelector`, `LabelSelector`).
    case atomic
    /// Nothing is known (smd's "deduced" type): objects are granular maps of unknown values; lists and
    /// scalars are atomic. Plain scalar fields (`type: string`, `integer`…) read as this too: `PatchSchema`
    /// does not record scalar types, and their values are leaves either way.
    case unknown
}

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
