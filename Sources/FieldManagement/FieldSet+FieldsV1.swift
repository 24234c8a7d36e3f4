import APIModel

/// Why a `fieldsV1` value is not a valid FieldsV1 encoding of a field set.
public struct FieldsV1DecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

extension FieldSet {
    /// Decodes Kubernetes' FieldsV1 encoding (`metadata.managedFields[].fieldsV1`): an object whose keys
    /// are `f:<field>`, `k:<key object>`, `v:<value>` or `i:<index>`, each mapping to an object of the
    /// same form; `{}` marks a member, and `".": {}` inside a node with children marks the node itself as
    /// a member. A `"."` at the root is ignored. Throws on anything else rather than guessing.
    public init(fieldsV1: JSONValue) throws(FieldsV1DecodingError) {
        self = try FieldSet.decode(fieldsV1, depth: 0).set
    }

    private static func decode(_ value: JSONValue, depth: Int) throws(FieldsV1DecodingError) -> (set: FieldSet, isMember: Bool) {
        guard case .object(let members) = value else {
            throw FieldsV1DecodingError("expected an object in fieldsV1, found \(value.serializedString())")
        }
        guard depth < JSONValue.maximumNestingDepth else {
            throw FieldsV1DecodingError("fieldsV1 nests too deeply")
        }
        var set = FieldSet()
        var isMember = false
        for (key, child) in members {
            if key == "." {
                guard case .object(let marker) = child, marker.isEmpty else {
                    throw FieldsV1DecodingError("expected {} for \".\" in fieldsV1")
                }
                isMember = true
                continue
            }
            let element = try PathElement(fieldsV1Key: key)
            let (childSet, childIsMember) = try decode(child, depth: depth + 1)
            if childSet.isEmpty || childIsMember { set.insert(element) }
            set.insert(childSet, below: element)
        }
        return (set, isMember)
    }

    /// The set in Kubernetes' FieldsV1 encoding (see `init(fieldsV1:)`). Serialised with sorted keys, it
    /// gives `".": {}` first, then `f:`, then `k:`, then `v:` entries.
    public var fieldsV1: JSONValue {
        var object: [String: JSONValue] = [:]
        object.reserveCapacity(members.count + children.count)
        for element in members where children[element] == nil {
            object[element.fieldsV1Key] = .object([:])
        }
        for (element, child) in children {
            var encoded = child.fieldsV1
            if members.contains(element), case .object(var inner) = encoded {
                inner["."] = .object([:])
                encoded = .object(inner)
            }
            object[element.fieldsV1Key] = encoded
        }
        return .object(object)
    }
}

extension PathElement {
    /// Parses one FieldsV1 key: `f:name`, `k:{"name":"nginx"}`, `v:"a"`, `i:3`.
    public init(fieldsV1Key key: String) throws(FieldsV1DecodingError) {
        guard key.utf8.count >= 2, key.utf8.dropFirst().first == UInt8(ascii: ":") else {
            throw FieldsV1DecodingError("unknown fieldsV1 key \"\(key)\"")
        }
        let body = String(key.dropFirst(2))
        switch key.first {
        case "f":
            self = .field(body)
        case "k":
            guard let parsed = try? JSONValue(parsing: body), case .object(let fields) = parsed, !fields.isEmpty else {
                throw FieldsV1DecodingError("invalid key \"\(body)\" in fieldsV1: expected a non-empty JSON object")
            }
            self = .key(fields)
        case "v":
            guard let parsed = try? JSONValue(parsing: body) else {
                throw FieldsV1DecodingError("invalid value \"\(body)\" in fieldsV1")
            }
            self = .value(parsed)
        case "i":
            guard let index = Int(body), index >= 0 else {
                throw FieldsV1DecodingError("invalid index \"\(body)\" in fieldsV1")
            }
            self = .index(index)
        default:
            throw FieldsV1DecodingError("unknown fieldsV1 key \"\(key)\"")
        }
    }

    /// The element as a FieldsV1 key: `f:name`, `k:{"name":"nginx"}` (compact, keys sorted), `v:"a"`, `i:3`.
    public var fieldsV1Key: String {
        switch self {
        case .field(let name):
            return "f:" + name
        case .key(let fields):
            var object: [String: JSONValue] = [:]
            for field in fields { object[field.name] = field.value }
            return "k:" + JSONValue.object(object).serializedString()
        case .value(let value):
            return "v:" + value.serializedString()
        case .index(let index):
            return "i:\(index)"
        }
    }
}
