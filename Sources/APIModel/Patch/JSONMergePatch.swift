/// JSON Merge Patch (RFC 7386), the `application/merge-patch+json` patch type.
///
/// A patch object is merged member by member into the target: a `null` member deletes the target's
/// member, an object member is merged recursively (into an empty object when the target's member is
/// missing or not an object), any other member (string, number, boolean, array) replaces the target's
/// member. A patch that is not an object replaces the whole target. Arrays are never merged.
public enum JSONMergePatch {
    /// Applies `patch` to `target` (RFC 7386 section 2). Cannot fail.
    public static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var result: [String: JSONValue]
        if case .object(let members) = target {
            result = members
        } else {
            result = [:]
        }
        for (key, value) in patchMembers {
            if value.isNull {
                result.removeValue(forKey: key)
            } else if case .object = value {
                let existing = result.removeValue(forKey: key) ?? .null
                result[key] = apply(value, to: existing)
            } else {
                result[key] = value
            }
        }
        return .object(result)
    }

    /// Checks what the Kubernetes API server requires of a merge patch body before applying it: an object,
    /// or an array (which then replaces the whole document). `null`, strings, numbers and booleans are
    /// `.malformedPatch` (400) with evanphx/json-patch's message "Invalid JSON Patch".
    public static func validate(_ patch: JSONValue) throws(PatchError) {
        switch patch {
        case .object, .array: return
        default: throw PatchError(.malformedPatch, "Invalid JSON Patch")
        }
    }

    /// A merge patch that turns `original` into `modified` when applied to it: removed members become
    /// `null`, changed members their new value (objects diffed recursively), unchanged members are left
    /// out; `{}` when the two are equal objects.
    ///
    /// When `modified` is not an object (or `original` is not), the patch is `modified` itself. Merge
    /// patches cannot express a member whose value is `null` (it means deletion) nor a change inside an
    /// array (the whole array is sent): that is RFC 7386's design.
    public static func diff(from original: JSONValue, to modified: JSONValue) -> JSONValue {
        guard case .object(let before) = original, case .object(let after) = modified else {
            return modified
        }
        var patch: [String: JSONValue] = [:]
        for key in before.keys where after[key] == nil {
            patch[key] = .null
        }
        for (key, newValue) in after {
            guard let oldValue = before[key] else {
                patch[key] = newValue
                continue
            }
            if oldValue == newValue { continue }
            if case .object = oldValue, case .object = newValue {
                let nested = diff(from: oldValue, to: newValue)
                if nested != .object([:]) { patch[key] = nested }
            } else {
                patch[key] = newValue
            }
        }
        return .object(patch)
    }
}
