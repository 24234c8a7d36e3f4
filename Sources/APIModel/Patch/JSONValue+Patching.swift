extension JSONValue {
    /// Whether the value is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// JSON equality as RFC 6902's `test` defines it: numbers are equal when numerically equal (`1` equals
    /// `1.0`), strings by their characters, arrays element by element in order, objects by having the same
    /// members with equal values regardless of order.
    public func isEqualAsJSON(_ other: JSONValue) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)):
            // Compare exactly: a double equals an integer only if it is integral and in range.
            guard b.rounded() == b, let exact = Int64(exactly: b) else { return false }
            return exact == a
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return false }
            for (x, y) in zip(a, b) where !x.isEqualAsJSON(y) { return false }
            return true
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for (key, x) in a {
                guard let y = b[key], x.isEqualAsJSON(y) else { return false }
            }
            return true
        default:
            return false
        }
    }

    /// The Go type `encoding/json` decodes this value to (`map[string]interface {}`, `[]interface {}`,
    /// `string`, `int64`, `float64`, `bool`, `<nil>`), as Kubernetes' patch error messages name types.
    var goTypeName: String {
        switch self {
        case .null: return "<nil>"
        case .bool: return "bool"
        case .int: return "int64"
        case .double: return "float64"
        case .string: return "string"
        case .array: return "[]interface {}"
        case .object: return "map[string]interface {}"
        }
    }

    /// The value as Go's `fmt` prints it with `%v` (`map[a:1 b:[x y]]`), for error messages that quote
    /// documents the way Kubernetes' do.
    var goDescription: String {
        switch self {
        case .null: return "<nil>"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d):
            if abs(d) < 1e21, let exact = Int64(exactly: d) { return String(exact) }
            return d.description
        case .string(let s): return s
        case .array(let a): return "[" + a.map(\.goDescription).joined(separator: " ") + "]"
        case .object(let o):
            let keys = o.keys.sorted(by: JSONValue.keyPrecedes)
            return "map[" + keys.map { $0 + ":" + o[$0]!.goDescription }.joined(separator: " ") + "]"
        }
    }

    /// The dynamic type of a value as Go's reflection sees it after `encoding/json` decoded it: strategic
    /// merge patch requires the elements of a merged list to share one.
    enum ElementKind: Sendable, Hashable {
        case null, bool, int, double, string, array, object
    }

    var elementKind: ElementKind {
        switch self {
        case .null: return .null
        case .bool: return .bool
        case .int: return .int
        case .double: return .double
        case .string: return .string
        case .array: return .array
        case .object: return .object
        }
    }
}
