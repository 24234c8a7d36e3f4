import APIModel

/// One step of a path into a Kubernetes object, as structured-merge-diff names it.
///
/// Elements are totally ordered: field names first, then keys, then set values, then indices (each kind
/// among itself by its content). Sets iterate in that order, which is also the order of their FieldsV1
/// encoding.
public enum PathElement: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// A member of an object: `f:<name>` in FieldsV1, `.name` in descriptions.
    case field(String)
    /// An item of an associative list, identified by the values of its key fields: `k:{"name":"nginx"}` in
    /// FieldsV1, `[name="nginx"]` in descriptions. The key fields are sorted by name.
    case key([KeyField])
    /// An item of a set (a list of distinct scalars), identified by itself: `v:"a"` in FieldsV1, `[="a"]` in
    /// descriptions.
    case value(JSONValue)
    /// An item of a list identified only by its position: `i:0` in FieldsV1, `[0]` in descriptions.
    case index(Int)

    /// One field of an associative-list key.
    public struct KeyField: Hashable, Sendable {
        public var name: String
        public var value: JSONValue

        public init(name: String, value: JSONValue) {
            self.name = name
            self.value = value
        }
    }

    /// A key element from key fields in any order (they are sorted by name).
    public static func key(_ fields: [String: JSONValue]) -> PathElement {
        .key(fields.sorted { $0.key < $1.key }.map { KeyField(name: $0.key, value: $0.value) })
    }

    /// The element as Kubernetes prints it in a path (`fieldpath.Path.String()`): `.spec`, `[name="nginx"]`,
    /// `[port=80,protocol="TCP"]`, `[="a"]`, `[0]`.
    public var description: String {
        switch self {
        case .field(let name):
            return "." + name
        case .key(let fields):
            return "[" + fields.map { $0.name + "=" + $0.value.serializedString() }.joined(separator: ",") + "]"
        case .value(let value):
            return "[=" + value.serializedString() + "]"
        case .index(let index):
            return "[\(index)]"
        }
    }

    public static func < (lhs: PathElement, rhs: PathElement) -> Bool {
        switch (lhs, rhs) {
        case (.field(let a), .field(let b)):
            return a < b
        case (.key(let a), .key(let b)):
            for (x, y) in zip(a, b) {
                if x.name != y.name { return x.name < y.name }
                if x.value != y.value { return JSONValueOrder.precedes(x.value, y.value) }
            }
            return a.count < b.count
        case (.value(let a), .value(let b)):
            return JSONValueOrder.precedes(a, b)
        case (.index(let a), .index(let b)):
            return a < b
        default:
            return lhs.kindRank < rhs.kindRank
        }
    }

    private var kindRank: Int {
        switch self {
        case .field: 0
        case .key: 1
        case .value: 2
        case .index: 3
        }
    }
}
