/// Strategic merge patch, the `application/strategic-merge-patch+json` patch type (and what
/// `kubectl apply` sends): a JSON merge patch whose lists can merge element by element, as the schema of
/// the patched type says, steered by directives.
///
/// Semantics, following Kubernetes' `strategicpatch.StrategicMergeMapPatch`:
/// - Objects merge recursively; a `null` member deletes the member.
/// - A list whose field has patch strategy `merge` and a merge key (`containers` by `name`, `ports` by
///   `containerPort`, `volumeMounts` by `mountPath`, `conditions` by `type`…) merges element-wise: a patch
///   element merges into the original element with the same merge-key value, other patch elements are
///   added. A `merge` list of primitives (`finalizers`) becomes the union of both. Other lists are replaced.
/// - Order of a merged list: without `$setElementOrder`, patch elements come in the patch's order and
///   original elements keep their relative order, interleaved so that patch elements already in the
///   original stay where they were — new elements therefore come *first* (Kubernetes' behaviour, e.g.
///   a container added by `kubectl patch` is listed before the existing ones).
/// - Directives:
///   - `"$patch": "replace"` in an object replaces the original object by the rest of the patch object;
///     as a list element, the list is replaced by the other patch elements.
///   - `"$patch": "delete"` in an object empties it (Kubernetes leaves `{}`, not an absent member); as a
///     list element carrying the merge key, deletes the elements with that key.
///   - `"$patch": "merge"` is the default and changes nothing (Kubernetes rejects it; accepted here).
///   - `"$setElementOrder/<field>": [...]` fixes the order of the merged list `<field>` (elements given by
///     merge key, or values for primitives); original elements not listed keep their relative position.
///   - `"$deleteFromPrimitiveList/<field>": [...]` removes those values from the primitive list `<field>`.
///   - `"$retainKeys": [...]` removes the original object's members not listed (all non-null patch members
///     must be listed).
/// - Values the original does not have (new members, new list elements, replacements) are added without
///   their `null` members and directives: objects marked `"$patch": "delete"` are left out, a
///   `"$patch": "replace"` marker is dropped and the rest of its object kept (Kubernetes drops such a new
///   object altogether).
/// - Unknown definitions and schema-less subtrees (maps such as `labels`, `RawExtension` data) patch like
///   JSON merge patch (objects merge, lists are replaced) with directives still honoured.
///
/// Errors are `PatchError`s of kind `.malformedPatch` (400: patch not an object, malformed directive),
/// `.listOfLists` (422) or `.mergeFailed` (500: missing merge key, unknown `$patch` value, mixed list
/// element types, `$setElementOrder` list not matching the patch list).
public enum StrategicMergePatch {
    /// Applies `patch` to `original`, a document of the type named `definition` in `schema` (e.g.
    /// `io.k8s.api.apps.v1.Deployment`). A `null` patch changes nothing; a patch that is not an object is
    /// `.malformedPatch`. An unknown definition patches as schema-less data.
    public static func apply(
        _ patch: JSONValue, to original: JSONValue, definition: String, schema: PatchSchema = .shared
    ) throws(PatchError) -> JSONValue {
        try apply(patch, to: original, node: schema.node(forDefinition: definition), schema: schema)
    }

    /// Applies `patch` to `original` described by `node` of `schema`.
    public static func apply(
        _ patch: JSONValue, to original: JSONValue, node: PatchSchema.Node, schema: PatchSchema
    ) throws(PatchError) -> JSONValue {
        let patchMembers: [String: JSONValue]
        switch patch {
        case .null:
            return original
        case .object(let members):
            patchMembers = members
        default:
            throw PatchError(.malformedPatch,
                             "json: cannot unmarshal \(patch.goJSONTypeName) into Go value of type map[string]interface {}")
        }
        let originalMembers: [String: JSONValue]
        switch original {
        case .null:
            originalMembers = [:]
        case .object(let members):
            originalMembers = members
        default:
            throw PatchError.badArgType(expected: "map[string]interface {}", actual: original)
        }
        return .object(try StrategicMerger(schema: schema).mergeMap(originalMembers, patchMembers, node: node))
    }
}

/// The directive keys and values of strategic merge patch.
enum PatchDirective {
    static let marker = "$patch"
    static let replace: JSONValue = .string("replace")
    static let delete: JSONValue = .string("delete")
    static let merge: JSONValue = .string("merge")
    static let retainKeys = "$retainKeys"
    static let setElementOrderPrefix = "$setElementOrder"
    static let deleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList"

    /// Whether a member name is a directive rather than data.
    static func isDirective(_ key: String) -> Bool {
        key == marker || key == retainKeys || key.hasPrefix(setElementOrderPrefix)
            || key.hasPrefix(deleteFromPrimitiveListPrefix)
    }

    /// The field a `<prefix>/<field>` directive is about; `error` when the key is not of that form.
    static func field(of key: String, prefix: String, error: PatchError) throws(PatchError) -> String {
        guard let slash = key.firstIndex(of: "/"), key[..<slash] == prefix else { throw error }
        return String(key[key.index(after: slash)...])
    }
}

/// The strategic merge of one document.
struct StrategicMerger {
    let schema: PatchSchema

    /// Merges the patch object `patch` into `original`, an object described by `node`. A
    /// `"$patch": "delete"` patch gives an empty object, as in Kubernetes.
    func mergeMap(_ original: [String: JSONValue], _ patch: [String: JSONValue], node: PatchSchema.Node) throws(PatchError) -> [String: JSONValue] {
        var patch = patch
        if let directive = patch[PatchDirective.marker] {
            switch directive {
            case PatchDirective.replace:
                patch.removeValue(forKey: PatchDirective.marker)
                return cleanMembers(patch)
            case PatchDirective.delete:
                return [:]
            case PatchDirective.merge:
                patch.removeValue(forKey: PatchDirective.marker)
            default:
                throw PatchError.badPatchType(directive, patch)
            }
        }

        var result = original

        if let retained = patch.removeValue(forKey: PatchDirective.retainKeys) {
            try applyRetainKeys(retained, patch: patch, to: &result)
        }

        let orderKeys = patch.keys.filter { $0.hasPrefix(PatchDirective.setElementOrderPrefix) }
        for key in orderKeys.sorted(by: JSONValue.keyPrecedes) {
            let order = patch.removeValue(forKey: key)!
            let field = try PatchDirective.field(
                of: key, prefix: PatchDirective.setElementOrderPrefix, error: .badSetElementOrder)
            try applyElementOrder(order, field: field, node: node, result: &result, patch: &patch)
        }

        for key in patch.keys.sorted(by: JSONValue.keyPrecedes) {
            let value = patch[key]!
            var field = key
            var isDeleteList = false
            if key.hasPrefix(PatchDirective.deleteFromPrimitiveListPrefix) {
                field = try PatchDirective.field(
                    of: key, prefix: PatchDirective.deleteFromPrimitiveListPrefix, error: .badPrimitiveList)
                isDeleteList = true
            }
            if value.isNull {
                result.removeValue(forKey: field)
                continue
            }
            guard let current = result[field], current.elementKind == value.elementKind else {
                // New member, or a value of another type: take the patch's value (a deletion list has
                // nothing to delete from).
                if !isDeleteList {
                    result[field] = clean(value)
                }
                continue
            }
            switch (current, value) {
            case (.object(let currentMembers), .object(let patchMembers)):
                let meta = schema.field(field, in: node)
                if meta.patchStrategy == "replace" {
                    result[field] = clean(value)
                    continue
                }
                result.removeValue(forKey: field)
                result[field] = .object(try mergeMap(currentMembers, patchMembers, node: meta.objectNode))
            case (.array(let currentElements), .array(let patchElements)):
                let meta = schema.field(field, in: node)
                if meta.patchStrategy == "merge" || isDeleteList {
                    result.removeValue(forKey: field)
                    result[field] = .array(try mergeList(currentElements, patchElements, field: meta, isDeleteList: isDeleteList))
                } else {
                    result[field] = clean(value)
                }
            default:
                result[field] = value
            }
        }
        return result
    }

    /// `$retainKeys`: every non-null member of the patch must be listed, and the original loses the
    /// members that are not.
    private func applyRetainKeys(_ retained: JSONValue, patch: [String: JSONValue], to result: inout [String: JSONValue]) throws(PatchError) {
        guard case .array(let list) = retained else { throw PatchError.badRetainKeys }
        let keep = Set(list.compactMap(\.stringValue))
        for (key, value) in patch where !value.isNull {
            if key.hasPrefix(PatchDirective.deleteFromPrimitiveListPrefix)
                || key.hasPrefix(PatchDirective.setElementOrderPrefix) { continue }
            guard keep.contains(key) else { throw PatchError.badRetainKeys }
        }
        result = result.filter { keep.contains($0.key) }
    }

    // MARK: - New values

    /// A patch value as it lands where the original has nothing to merge with: object members that are
    /// `null` or directives are dropped, objects marked `"$patch": "delete"` (or an unknown `$patch`) are
    /// dropped (nil at the top), `"$patch": "replace"`/`"merge"` markers are removed. Arrays keep `null`
    /// elements.
    func clean(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .object(let members):
            if let directive = members[PatchDirective.marker],
               directive != PatchDirective.replace, directive != PatchDirective.merge {
                return nil
            }
            return .object(cleanMembers(members))
        case .array(let elements):
            return .array(elements.compactMap { clean($0) })
        default:
            return value
        }
    }

    func cleanMembers(_ members: [String: JSONValue]) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        out.reserveCapacity(members.count)
        for (key, value) in members where !value.isNull && !PatchDirective.isDirective(key) {
            if let cleaned = clean(value) { out[key] = cleaned }
        }
        return out
    }
}
