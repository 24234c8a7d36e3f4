/// JSON Patch (RFC 6902), the `application/json-patch+json` patch type: an ordered list of operations
/// (`add`, `remove`, `replace`, `move`, `copy`, `test`) applied one after another; if any fails, the whole
/// patch fails and the document is left as it was.
///
/// Beyond the RFC, like evanphx/json-patch (which Kubernetes uses), array indices may be negative to count
/// from the end (`/items/-1` is the last element; for `add`, `-1` inserts before the end, i.e. appends).
///
/// Errors (see `PatchError` for the HTTP mapping):
/// - the operations are not a JSON array of objects: `.malformedPatch` (400);
/// - more than `maximumOperations` operations: `.tooManyOperations` (413);
/// - an operation that does not apply (unknown `op`, missing `path`/`from`/`value`, path not found, index
///   out of range, moving a value into itself): `.operationFailed` (422);
/// - a `test` whose value differs: `.testFailed` (422). Values compare as JSON (`1` equals `1.0`); a test
///   for `null` of a member that does not exist passes, as in evanphx/json-patch.
public enum JSONPatch {
    /// The most operations one patch may contain, as the Kubernetes API server enforces.
    public static let maximumOperations = 10_000

    /// Applies `operations` (the parsed patch body) to `document` and returns the patched document.
    public static func apply(_ operations: JSONValue, to document: JSONValue) throws(PatchError) -> JSONValue {
        let list = try validatedOperations(operations)
        var document = document
        for operation in list {
            try apply(operation, to: &document)
        }
        return document
    }

    /// Checks what the API server checks before applying anything: that the body is a list of objects
    /// (`.malformedPatch`, 400) of at most `maximumOperations` entries (`.tooManyOperations`, 413). A JSON
    /// `null` is an empty patch, as in Go. A `null` entry is an operation of unknown kind.
    public static func validatedOperations(_ operations: JSONValue) throws(PatchError) -> [JSONValue] {
        let list: [JSONValue]
        switch operations {
        case .null:
            list = []
        case .array(let elements):
            list = elements
        default:
            throw PatchError(.malformedPatch,
                             "json: cannot unmarshal \(operations.goJSONTypeName) into Go value of type jsonpatch.Patch")
        }
        for element in list {
            switch element {
            case .object, .null: continue
            default:
                throw PatchError(.malformedPatch,
                                 "json: cannot unmarshal \(element.goJSONTypeName) into Go value of type jsonpatch.Operation")
            }
        }
        if list.count > maximumOperations {
            throw PatchError(.tooManyOperations,
                             "The allowed maximum operations in a JSON patch is \(maximumOperations), got \(list.count)")
        }
        return list
    }

    // MARK: - Operations

    private static func apply(_ operation: JSONValue, to document: inout JSONValue) throws(PatchError) {
        let members = operation.objectValue ?? [:]
        let kind = members["op"]?.stringValue ?? "unknown"
        switch kind {
        case "add":
            let (pointer, text) = try pointer(members, "path", kind)
            try add(try value(members, kind), at: pointer, text: text, in: &document, failure: "add operation does not apply: doc is missing path: \"\(text)\": missing value")
        case "remove":
            let (pointer, text) = try pointer(members, "path", kind)
            _ = try remove(at: pointer, text: text, in: &document, operation: "remove")
        case "replace":
            let (pointer, text) = try pointer(members, "path", kind)
            try replace(try value(members, kind), at: pointer, text: text, in: &document)
        case "move":
            let (from, fromText) = try pointer(members, "from", kind)
            let (path, pathText) = try pointer(members, "path", kind)
            guard from.evaluate(in: document) != nil else {
                throw PatchError(.operationFailed, "move operation does not apply: doc is missing from path: \(fromText): missing value")
            }
            if from == path { return }
            if path.isProperDescendant(of: from) {
                throw PatchError(.operationFailed, "move operation does not apply: cannot move \(fromText) into its own child \(pathText)")
            }
            let moved = try remove(at: from, text: fromText, in: &document, operation: "move")
            try add(moved, at: path, text: pathText, in: &document, failure: "move operation does not apply: doc is missing destination path: \(pathText): missing value")
        case "copy":
            let (from, fromText) = try pointer(members, "from", kind)
            let (path, pathText) = try pointer(members, "path", kind)
            guard let copied = from.evaluate(in: document) else {
                throw PatchError(.operationFailed, "copy operation does not apply: doc is missing from path: \(fromText): missing value")
            }
            try add(copied, at: path, text: pathText, in: &document, failure: "copy operation does not apply: doc is missing destination path: \(pathText): missing value")
        case "test":
            let (pointer, text) = try pointer(members, "path", kind)
            let expected = try value(members, kind)
            if let actual = pointer.evaluate(in: document) {
                guard actual.isEqualAsJSON(expected) else {
                    throw PatchError(.testFailed, "testing value \(text) failed: test failed")
                }
                return
            }
            switch pointer.parent?.evaluate(in: document) {
            case .object?, .array?:
                // The container exists but has no such member or index. As in evanphx/json-patch, that
                // passes a test for `null` (a way to test that a member is absent) and fails any other.
                if expected.isNull { return }
                throw PatchError(.testFailed, "testing value \(text) failed: test failed")
            default:
                throw PatchError(.operationFailed, "test operation does not apply: is missing path: \(text): missing value")
            }
        default:
            throw PatchError(.operationFailed, "Unexpected kind: \(kind)")
        }
    }

    private static func pointer(_ members: [String: JSONValue], _ field: String, _ kind: String) throws(PatchError) -> (JSONPointer, String) {
        guard let member = members[field], !member.isNull else {
            throw PatchError(.operationFailed, "\(kind) operation failed to decode \(field): missing value")
        }
        guard let text = member.stringValue else {
            throw PatchError(.operationFailed,
                             "\(kind) operation failed to decode \(field): json: cannot unmarshal \(member.goJSONTypeName) into Go value of type string")
        }
        return (try JSONPointer(text), text)
    }

    private static func value(_ members: [String: JSONValue], _ kind: String) throws(PatchError) -> JSONValue {
        guard let value = members["value"] else {
            throw PatchError(.operationFailed, "\(kind) operation, missing value field: missing value")
        }
        return value
    }

    private static func add(_ value: JSONValue, at pointer: JSONPointer, text: String, in document: inout JSONValue, failure: String) throws(PatchError) {
        guard let last = pointer.tokens.last else {
            document = value
            return
        }
        let found = try document.modify(at: pointer.tokens.dropLast()) { container throws(PatchError) -> Bool in
            switch container {
            case .object(var members):
                container = .null
                members[last] = value
                container = .object(members)
                return true
            case .array(var elements):
                let index: Int
                if last == "-" {
                    index = elements.count
                } else {
                    guard let parsed = JSONPointer.parseIndex(last) else {
                        throw PatchError(.operationFailed, "error in add for path: '\(text)': value was not a proper array index: '\(last)'")
                    }
                    let size = elements.count + 1
                    guard parsed < size, parsed >= -size else {
                        throw PatchError(.operationFailed, "error in add for path: '\(text)': Unable to access invalid index: \(parsed): invalid index referenced")
                    }
                    index = parsed < 0 ? parsed + size : parsed
                }
                container = .null
                elements.insert(value, at: index)
                container = .array(elements)
                return true
            default:
                return false
            }
        }
        guard found == true else { throw PatchError(.operationFailed, failure) }
    }

    private static func remove(at pointer: JSONPointer, text: String, in document: inout JSONValue, operation: String) throws(PatchError) -> JSONValue {
        guard let last = pointer.tokens.last else {
            throw PatchError(.operationFailed, "\(operation) operation does not apply: doc is missing path: \"\(text)\": missing value")
        }
        let removed = try document.modify(at: pointer.tokens.dropLast()) { container throws(PatchError) -> JSONValue? in
            switch container {
            case .object(var members):
                guard members[last] != nil else {
                    throw PatchError(.operationFailed, "error in \(operation) for path: '\(text)': Unable to remove nonexistent key: \(last): missing value")
                }
                container = .null
                let value = members.removeValue(forKey: last)
                container = .object(members)
                return value
            case .array(var elements):
                guard let index = JSONPointer.existingIndex(last, count: elements.count) else {
                    throw PatchError(.operationFailed, "error in \(operation) for path: '\(text)': Unable to access invalid index: \(last): invalid index referenced")
                }
                container = .null
                let value = elements.remove(at: index)
                container = .array(elements)
                return value
            default:
                return nil
            }
        }
        guard let removed, let value = removed else {
            throw PatchError(.operationFailed, "\(operation) operation does not apply: doc is missing path: \"\(text)\": missing value")
        }
        return value
    }

    private static func replace(_ value: JSONValue, at pointer: JSONPointer, text: String, in document: inout JSONValue) throws(PatchError) {
        guard let last = pointer.tokens.last else {
            document = value
            return
        }
        let replaced = try document.modify(at: pointer.tokens.dropLast()) { container throws(PatchError) -> Bool in
            switch container {
            case .object(var members):
                guard members[last] != nil else { return false }
                container = .null
                members[last] = value
                container = .object(members)
                return true
            case .array(var elements):
                guard let index = JSONPointer.existingIndex(last, count: elements.count) else { return false }
                container = .null
                elements[index] = value
                container = .array(elements)
                return true
            default:
                return false
            }
        }
        guard replaced == true else {
            throw PatchError(.operationFailed, "replace operation does not apply: doc is missing key: \(text): missing value")
        }
    }
}

extension JSONValue {
    /// Runs `body` on the value at `tokens` in place; nil when there is no such value.
    fileprivate mutating func modify<Result>(
        at tokens: ArraySlice<String>, _ body: (inout JSONValue) throws(PatchError) -> Result
    ) throws(PatchError) -> Result? {
        guard let token = tokens.first else { return try body(&self) }
        switch self {
        case .object(var members):
            guard members[token] != nil else { return nil }
            self = .null  // so that `members` is uniquely referenced and mutated in place
            defer { self = .object(members) }
            return try members[token]!.modify(at: tokens.dropFirst(), body)
        case .array(var elements):
            guard let index = JSONPointer.existingIndex(token, count: elements.count) else { return nil }
            self = .null
            defer { self = .array(elements) }
            return try elements[index].modify(at: tokens.dropFirst(), body)
        default:
            return nil
        }
    }

    /// How Go's `encoding/json` names a JSON value's type in unmarshalling errors.
    var goJSONTypeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "bool"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}
