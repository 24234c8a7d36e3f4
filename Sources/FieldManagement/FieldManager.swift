import APIModel

/// Server-side field management: keeps `metadata.managedFields` of objects written through the API,
/// and performs server-side apply. Pure: works on JSON documents, with the time passed in.
///
/// Semantics are those of kube-apiserver 1.28–1.32 (`k8s.io/apimachinery/pkg/util/managedfields` over
/// sigs.k8s.io/structured-merge-diff v4); the differences are listed on the methods.
public struct FieldManager: Sendable {
    public let schema: ApplySchema

    public init(schema: PatchSchema = .shared) {
        self.schema = ApplySchema(schema)
    }

    /// The managed fields of a create (`live` nil), update (PUT) or non-apply patch: `new` (the object
    /// about to be stored) with `metadata.managedFields` rewritten.
    ///
    /// - The starting entries: for a subresource write, the live object's; otherwise, when `new` asks for
    ///   a reset (`managedFields: []`, or a single empty entry), none; otherwise `new`'s own entries when
    ///   they are valid and not empty (a client may rewrite managedFields), else the live object's. Invalid
    ///   entries count as none.
    /// - Every entry loses the fields the write added, modified or removed (updates never conflict).
    /// - The entry of (`manager`, Update, `apiVersion`, `subresource`) gains the fields added or modified,
    ///   and takes `time`, when there are any; when the write changed nothing tracked it stays as it was.
    /// - Entries left without fields are dropped; beyond ten Update entries the oldest are merged into
    ///   `ancient-changes` entries.
    /// - `ignoring` fields, and the fields the server owns (`apiVersion`, `kind`, `metadata.name`,
    ///   `uid`, `resourceVersion`…), are never tracked.
    public func update(live: JSONValue?, new: JSONValue, definition: String, manager: String, apiVersion: String,
                       subresource: String? = nil, time: Time, ignoring ignored: IgnoredFields = .none) -> JSONValue {
        let entries = updatedManagedFields(live: live, new: new, definition: definition, manager: manager,
                                           apiVersion: apiVersion, subresource: subresource, time: time, ignoring: ignored)
        return FieldManager.replacingManagedFields(of: FieldManager.withoutManagedFields(new), with: entries)
    }

    /// The `metadata.managedFields` that `update` gives the new object (nil: none), without building the
    /// object: for callers that set them in the object's encoding themselves.
    public func updatedManagedFields(live: JSONValue?, new: JSONValue, definition: String, manager: String,
                                     apiVersion: String, subresource: String? = nil, time: Time,
                                     ignoring ignored: IgnoredFields = .none) -> JSONValue? {
        var managed = FieldManager.startingEntries(live: live, new: new, subresource: subresource)

        let liveObject = live.map(FieldManager.withoutManagedFields) ?? .object([:])
        let newObject = FieldManager.withoutManagedFields(new)
        let comparison = schema.compare(liveObject, newObject, definition: definition).excluding(ignored)
        let changed = comparison.modified.union(comparison.added)
        if !comparison.isEmpty {
            for (identity, entry) in managed.entries {
                managed.setFields(entry.fields.subtracting(changed).subtracting(comparison.removed), of: identity)
            }
        }
        let taken = changed.subtracting(IgnoredFields.serverOwned)
        if !taken.isEmpty {
            let identity = ManagerIdentity(manager: manager, operation: .update, apiVersion: apiVersion, subresource: subresource)
            let owned = managed.entries[identity].map { $0.fields.union(taken) } ?? taken
            managed.entries[identity] = ManagedFields.Entry(apiVersion: apiVersion, fields: owned, time: time, encodedFields: nil)
        }
        managed.capUpdateEntries()
        return managed.encoded()
    }

    /// Server-side apply of `config` (an applied configuration: a partial object) by `manager` onto `live`
    /// (nil for a create). Returns the new object with its managedFields.
    ///
    /// - The new object is `live` merged with `config` (see `ApplySchema.merge`).
    /// - The manager's Apply entry becomes exactly the fields of `config` (less ignored and server-owned
    ///   fields), at `apiVersion`.
    /// - Fields the manager applied last time and no longer applies are removed from the object, unless
    ///   another manager (or the new configuration) still owns them (smd's prune, with its add-back of
    ///   owned and dangling items).
    /// - Fields owned by other managers whose value the apply adds or changes are conflicts: without
    ///   `force` the apply throws them all; with `force` the other managers lose them. Applying a value
    ///   equal to the live one is no conflict: both managers own the field.
    /// - Fields removed from the object are removed from every manager.
    /// - The entry's time becomes `time` when the object or the entry's fields changed (kube-apiserver
    ///   looks at the object only, which leaves a new entry for an apply that changes nothing without a
    ///   time).
    /// - Invalid live managedFields count as none (kube-apiserver refuses the apply with a 500). A
    ///   `metadata.managedFields` in `config` is ignored (the API layer refuses it, as Kubernetes does).
    /// - For the manager `kubectl` (kubectl's own server-side apply), the client-side apply annotation is
    ///   honoured as kube-apiserver does: conflicts on fields the live object's
    ///   `kubectl.kubernetes.io/last-applied-configuration` still matches are forced (the upgrade from
    ///   client-side apply), and an existing annotation is rewritten to the applied configuration.
    public func apply(live: JSONValue?, config: JSONValue, definition: String, manager: String, apiVersion: String,
                      subresource: String? = nil, force: Bool, time: Time,
                      ignoring ignored: IgnoredFields = .none) throws(ApplyConflicts) -> JSONValue {
        let applied: JSONValue
        do {
            applied = try merging(live: live, config: config, definition: definition, manager: manager, apiVersion: apiVersion,
                                  subresource: subresource, force: force, time: time, ignoring: ignored)
        } catch {
            guard manager == FieldManager.kubectl,
                  let upgradable = clientSideAppliedFields(of: live, apiVersion: apiVersion, definition: definition) else { throw error }
            let remaining = error.conflicts.filter { !upgradable.contains($0.path) }
            guard remaining.isEmpty else { throw ApplyConflicts(remaining) }
            applied = try merging(live: live, config: config, definition: definition, manager: manager, apiVersion: apiVersion,
                                  subresource: subresource, force: true, time: time, ignoring: ignored)
        }
        return manager == FieldManager.kubectl ? FieldManager.syncingLastApplied(of: applied, to: config) : applied
    }

    /// The apply proper: merge, ownership, prune, conflicts.
    private func merging(live: JSONValue?, config: JSONValue, definition: String, manager: String, apiVersion: String,
                         subresource: String?, force: Bool, time: Time, ignoring ignored: IgnoredFields) throws(ApplyConflicts) -> JSONValue {
        var managed = ManagedFields.decoded(live?.managedFieldsValue) ?? ManagedFields()
        let valueSchema = schema.schema(ofDefinition: definition)
        let liveObject = live.map(FieldManager.withoutManagedFields) ?? .object([:])
        let configObject = FieldManager.withoutManagedFields(config)
        let merged = schema.merge(liveObject, configObject, schema: valueSchema) ?? configObject

        let identity = ManagerIdentity(manager: manager, operation: .apply, apiVersion: apiVersion, subresource: subresource)
        let previous = managed.entries[identity]
        let applied = ignored.removing(from: schema.fieldSet(of: configObject, schema: valueSchema))
        managed.entries[identity] = ManagedFields.Entry(apiVersion: apiVersion, fields: applied, time: previous?.time, encodedFields: nil)
        let newObject = prune(merged, lastApplied: previous?.fields ?? FieldSet(), managed: managed, schema: valueSchema)

        let fullComparison = schema.compare(liveObject, newObject, schema: valueSchema)
        let comparison = fullComparison.excluding(ignored)
        let changed = comparison.modified.union(comparison.added)
        var conflicts: [ApplyConflicts.Conflict] = []
        for (other, entry) in managed.entries.sorted(by: { $0.key < $1.key }) where other != identity {
            for path in entry.fields.intersection(changed).paths {
                conflicts.append(.init(owner: other, apiVersion: entry.apiVersion, path: path))
            }
        }
        if !force && !conflicts.isEmpty { throw ApplyConflicts(conflicts) }
        if !comparison.isEmpty {
            for (other, entry) in managed.entries where other != identity {
                managed.setFields(entry.fields.subtracting(changed).subtracting(comparison.removed), of: other)
            }
        }

        let owned = applied.subtracting(IgnoredFields.serverOwned)
        if owned.isEmpty {
            managed.entries[identity] = nil
        } else {
            let entryChanged = previous.map { $0.fields != owned || $0.apiVersion != apiVersion } ?? true
            let stamp = !fullComparison.isEmpty || entryChanged ? time : previous?.time
            let encoded = previous.flatMap { $0.fields == owned ? $0.encodedFields : nil }
            managed.entries[identity] = ManagedFields.Entry(apiVersion: apiVersion, fields: owned, time: stamp, encodedFields: encoded)
        }
        // An apply that changes nothing stores the live object as it was (only its entries change).
        let result = fullComparison.isEmpty ? liveObject : newObject
        return FieldManager.replacingManagedFields(of: result, with: managed.encoded())
    }

    // MARK: - The managedFields member

    /// The entries an update starts from (kube-apiserver's `decodeLiveOrNew`): the live object's for a
    /// subresource write; none when the request asks for a reset; the request's when valid and not empty;
    /// the live object's otherwise. Invalid live entries count as none.
    static func startingEntries(live: JSONValue?, new: JSONValue, subresource: String?) -> ManagedFields {
        let liveEntries = { ManagedFields.decoded(live?.managedFieldsValue) ?? ManagedFields() }
        if !(subresource ?? "").isEmpty { return liveEntries() }
        let requested = new.managedFieldsValue
        if isReset(requested) { return ManagedFields() }
        if let decoded = ManagedFields.decoded(requested), !decoded.entries.isEmpty { return decoded }
        return liveEntries()
    }

    /// Whether a request's managedFields ask for a reset: an empty list, or a list of one empty entry.
    static func isReset(_ value: JSONValue?) -> Bool {
        guard case .array(let list)? = value else { return false }
        if list.isEmpty { return true }
        if list.count == 1, case .object(let entry) = list[0] { return entry.isEmpty }
        return false
    }

    /// `object` without `metadata.managedFields`.
    public static func withoutManagedFields(_ object: JSONValue) -> JSONValue {
        guard case .object(var members) = object, case .object(var metadata)? = members["metadata"],
              metadata["managedFields"] != nil else { return object }
        metadata["managedFields"] = nil
        members["metadata"] = .object(metadata)
        return .object(members)
    }

    /// `object` with `metadata.managedFields` set to `entries`, or without it when nil.
    public static func replacingManagedFields(of object: JSONValue, with entries: JSONValue?) -> JSONValue {
        guard case .object(var members) = object else { return object }
        var metadata = members["metadata"]?.objectValue ?? [:]
        if entries == nil && members["metadata"] == nil { return object }
        metadata["managedFields"] = entries
        members["metadata"] = .object(metadata)
        return .object(members)
    }
}

extension JSONValue {
    /// `metadata.managedFields` of an object, if present.
    var managedFieldsValue: JSONValue? {
        self["metadata"]?["managedFields"]
    }
}
