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

extension ValueSchema {
    /// The schema of the items of a list with this schema (a set's items are scalars).
    var itemSchema: ValueSchema {
        if case .associativeList(_, let item) = self { return item }
        return .atomic
    }
}
