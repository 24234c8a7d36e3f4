import APIModel

extension ApplySchema {
    /// `value` without the fields of `fields` (smd's `RemoveItems`): a member of the set removes the
    /// object member or list item at that path with everything under it; children of the set are
    /// removed from within. An object or list that removal empties is removed too (smd turns it into
    /// null, which Kubernetes' typed objects drop). Atomic values and scalars are never entered. Returns
    /// nil when everything was removed.
    public func removing(_ fields: FieldSet, from value: JSONValue, schema: ValueSchema) -> JSONValue? {
        if fields.isEmpty { return value }
        switch ValueShape(value, schema: schema) {
        case .leaf:
            return value
        case .object:
            guard case .object(var members) = value else { return value }
            for (key, member) in members {
                let element = PathElement.field(key)
                if fields.members.contains(element) {
                    members[key] = nil
                } else if let below = fields.children[element] {
                    members[key] = removing(below, from: member, schema: self.member(key, of: schema).schema)
                }
            }
            return members.isEmpty ? nil : .object(members)
        case .list(let identity):
            guard case .array(let items) = value else { return value }
            let itemSchema = schema.itemSchema
            var result: [JSONValue] = []
            result.reserveCapacity(items.count)
            for (position, item) in items.enumerated() {
                let element = identity.element(of: item, at: position)
                if fields.members.contains(element) { continue }
                if let below = fields.children[element] {
                    if let kept = removing(below, from: item, schema: itemSchema) { result.append(kept) }
                } else {
                    result.append(item)
                }
            }
            return result.isEmpty ? nil : .array(result)
        }
    }
}
