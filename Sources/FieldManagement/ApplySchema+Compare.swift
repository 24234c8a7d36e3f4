import APIModel

extension ApplySchema {
    /// Compares two versions of a value (smd's typed `Compare`).
    ///
    /// Leaves (scalars, atomic values, empty objects and lists) are added, removed or modified. A list
    /// item, a map entry, a map, or a list that appears or disappears is itself added or removed too
    /// (alongside its fields), so that its owner owns it as a whole (`".": {}`); a struct never is, nor
    /// is a field its definition requires (which Kubernetes' typed objects always carry, so it never
    /// appears there). smd records every appearing node; Kubernetes' zero-valued Go structs hide most
    /// of them, and this rule reproduces what it writes for the common shapes.
    public func compare(_ old: JSONValue?, _ new: JSONValue?, schema: ValueSchema) -> FieldComparison {
        var result = FieldComparison()
        var path: [PathElement] = []
        compare(old, new, schema: schema, path: &path, recordsPresence: false, into: &result)
        return result
    }

    private func compare(_ old: JSONValue?, _ new: JSONValue?, schema: ValueSchema, path: inout [PathElement],
                         recordsPresence: Bool, into result: inout FieldComparison) {
        if old == nil && new == nil { return }
        switch ValueShape(old, new, schema: schema) {
        case .leaf:
            if old == nil {
                result.added.insert(FieldPath(path))
            } else if new == nil {
                result.removed.insert(FieldPath(path))
            } else if old != new {
                result.modified.insert(FieldPath(path))
            }
            return
        case .object(let isStructure):
            let oldMembers = old?.objectValue ?? [:]
            let newMembers = new?.objectValue ?? [:]
            for (key, oldValue) in oldMembers {
                let newValue = newMembers[key]
                if newValue == oldValue { continue }
                descend(into: key, oldValue, newValue, of: schema, isStructure: isStructure, path: &path, into: &result)
            }
            for (key, newValue) in newMembers where oldMembers[key] == nil {
                descend(into: key, nil, newValue, of: schema, isStructure: isStructure, path: &path, into: &result)
            }
        case .list(let identity):
            let oldItems = old?.arrayValue ?? []
            let newItems = new?.arrayValue ?? []
            let (oldElements, oldPositions) = identity.index(oldItems)
            let (newElements, newPositions) = identity.index(newItems)
            let itemSchema = schema.itemSchema
            for (position, element) in oldElements.enumerated() where oldPositions[element] == position {
                let newItem = newPositions[element].map { newItems[$0] }
                if newItem == oldItems[position] { continue }
                path.append(element)
                compare(oldItems[position], newItem, schema: itemSchema, path: &path, recordsPresence: true, into: &result)
                path.removeLast()
            }
            for (position, element) in newElements.enumerated()
            where newPositions[element] == position && oldPositions[element] == nil {
                path.append(element)
                compare(nil, newItems[position], schema: itemSchema, path: &path, recordsPresence: true, into: &result)
                path.removeLast()
            }
        }
        guard recordsPresence else { return }
        if old == nil {
            result.added.insert(FieldPath(path))
        } else if new == nil {
            result.removed.insert(FieldPath(path))
        }
    }

    private func descend(into key: String, _ old: JSONValue?, _ new: JSONValue?, of schema: ValueSchema, isStructure: Bool,
                         path: inout [PathElement], into result: inout FieldComparison) {
        let (memberSchema, isRequired) = member(key, of: schema)
        var recordsPresence = true
        if isStructure && isRequired { recordsPresence = false }
        if case .structure = memberSchema { recordsPresence = false }
        path.append(.field(key))
        compare(old, new, schema: memberSchema, path: &path, recordsPresence: recordsPresence, into: &result)
        path.removeLast()
    }

    /// Compares two versions of a whole object of the named definition.
    public func compare(_ old: JSONValue?, _ new: JSONValue?, definition: String) -> FieldComparison {
        compare(old, new, schema: schema(ofDefinition: definition))
    }
}
