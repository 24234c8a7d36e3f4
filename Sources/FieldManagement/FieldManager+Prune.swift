import APIModel

extension FieldManager {
    /// smd's `prune`: removes from `merged` the fields `lastApplied` held that no manager (the applier's
    /// new set included) owns any more, then adds back what that removal took along without reason:
    /// fields other managers own (`addBackOwnedItems`) and fields below a removed node that the applier
    /// never owned (`addBackDanglingItems`).
    func prune(_ merged: JSONValue, lastApplied: FieldSet, managed: ManagedFields, schema valueSchema: ValueSchema) -> JSONValue {
        guard !lastApplied.isEmpty else { return merged }
        let empty = JSONValue.object([:])
        var pruned = schema.removing(lastApplied, from: merged, schema: valueSchema) ?? empty

        let owned = managed.entries.values.reduce(FieldSet()) { $0.union($1.fields) }
        let mergedSet = schema.fieldSet(of: merged, schema: valueSchema)
        let prunedSet = schema.fieldSet(of: pruned, schema: valueSchema)
        pruned = schema.removing(mergedSet.subtracting(prunedSet.union(owned)), from: merged, schema: valueSchema) ?? empty

        let keptSet = schema.fieldSet(of: pruned, schema: valueSchema)
        return schema.removing(mergedSet.subtracting(keptSet).intersection(lastApplied), from: merged, schema: valueSchema) ?? empty
    }
}
