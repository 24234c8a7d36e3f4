import APIModel

/// A total order on JSON values, used to order set items and key fields: null, then booleans (false
/// first), then numbers (by value), then strings (by their Unicode scalars), then arrays
/// (element-wise), then objects (by their serialised form).
enum JSONValueOrder {
    static func precedes(_ a: JSONValue, _ b: JSONValue) -> Bool {
        let (ra, rb) = (rank(a), rank(b))
        if ra != rb { return ra < rb }
        switch (a, b) {
        case (.bool(let x), .bool(let y)):
            return !x && y
        case (.string(let x), .string(let y)):
            return x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars)
        case (.array(let x), .array(let y)):
            for (u, v) in zip(x, y) where u != v { return precedes(u, v) }
            return x.count < y.count
        case (.object, .object):
            return a.serializedString() < b.serializedString()
        default:
            return number(a) < number(b)
        }
    }

    private static func rank(_ value: JSONValue) -> Int {
        switch value {
        case .null: 0
        case .bool: 1
        case .int, .double: 2
        case .string: 3
        case .array: 4
        case .object: 5
        }
    }

    private static func number(_ value: JSONValue) -> Double {
        switch value {
        case .int(let i): Double(i)
        case .double(let d): d
        default: 0
        }
    }
}
