import APIModel

extension ApplySchema {
    /// The fields of `value` (smd's `ToFieldSet`): every leaf present (scalars, nulls, atomic lists and
    /// maps, empty objects and lists), and every item of an associative list or set and every entry of a
    /// map (a member that is not a declared field: `labels.app`, keys of unknown objects) as a member
    /// itself, so that one with fields of its own is encoded with `".": {}`. Structs, maps and lists are
    /// owned only through their members.
    public func fieldSet(of value: JSONValue, schema: ValueSchema) -> FieldSet {
        switch ValueShape(value, schema: schema) {
        case .leaf:
            return FieldSet()
        case .object(let isStructure):
            var set = FieldSet()
            for (key, member) in value.objectValue ?? [:] {
                let element = PathElement.field(key)
                let memberSchema = self.member(key, of: schema).schema
                if case .leaf = ValueShape(member, schema: memberSchema) {
                    set.insert(element)
                } else {
                    if !isStructure { set.insert(element) }
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
