import APIModel

extension ApplySchema {
    /// The fields of `value` (smd's `ToFieldSet`): every leaf present (scalars, nulls, atomic lists and
    /// maps, empty objects and lists), and every item of an associative list or set as a member itself
    /// (so an item with fields is encoded with `".": {}`). Structs and maps are owned only through their
    /// members.
    public func fieldSet(of value: JSONValue, schema: ValueSchema) -> FieldSet {
        switch ValueShape(value, schema: schema) {
        case .leaf:
            return FieldSet()
        case .object:
            var set = FieldSet()
            for (key, member) in value.objectValue ?? [:] {
                let element = PathElement.field(key)
                let memberSchema = self.member(key, of: schema).schema
                if case .leaf = ValueShape(member, schema: memberSchema) {
                    set.insert(element)
                } else {
                    set.insert(fieldSet(of: member, schema: memberSchema), below: element)
                }
            }
            return set
        case .list(let identity):
            let items = value.arrayValue ?? []
            let itemSchema = schema.itemSchema
            var set = FieldSet()
            for (position, item) in items.enumerated() {
                let element = identity.element(of: item, at: position)
                set.insert(element)
                set.insert(fieldSet(of: item, schema: itemSchema), below: element)
            }
            return set
        }
    }

    /// The fields of a whole object of the named definition.
    public func fieldSet(of value: JSONValue, definition: String) -> FieldSet {
        fieldSet(of: value, schema: schema(ofDefinition: definition))
    }
}

extension ValueSchema {
    /// The schema of the items of a list with this schema.
    var itemSchema: ValueSchema {
        if case .associativeList(_, let item) = self { return item }
        return .atomic
    }
}
