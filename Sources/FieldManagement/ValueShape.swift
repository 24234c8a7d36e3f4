import APIModel

/// How a walk over values (field set, merge, compare, remove) descends into a value with a given
/// schema: into the members of an object, into the items of a list, or not at all (a leaf).
enum ValueShape {
    /// Owned, replaced and compared as a whole.
    case leaf
    /// An object merged member by member; `isStructure` is false for maps (whose presence is tracked).
    case object(isStructure: Bool)
    /// A list merged item by item, the items identified by `ListItemIdentity`.
    case list(ListItemIdentity)

    /// The shape of one value. Empty objects and lists are leaves (so that `{}` and `[]` are owned and
    /// kept distinct from absence, as smd does).
    init(_ value: JSONValue, schema: ValueSchema) {
        switch (value, schema) {
        case (.object(let members), .structure), (.object(let members), .map), (.object(let members), .unknown):
            if members.isEmpty { self = .leaf; return }
            if case .structure = schema { self = .object(isStructure: true) } else { self = .object(isStructure: false) }
        case (.array(let items), .associativeList(let keys, let item)):
            self = items.isEmpty ? .leaf : .list(.keyed(keys.sorted(), defaults: AssociativeKeyDefaults.defaults(forItems: item)))
        case (.array(let items), .set):
            self = items.isEmpty ? .leaf : .list(.byValue)
        default:
            self = .leaf
        }
    }

    /// The shape two versions of a value are walked with: a leaf when either is, when they differ in
    /// kind, or when both are empty.
    init(_ a: JSONValue?, _ b: JSONValue?, schema: ValueSchema) {
        switch (a, b) {
        case (nil, nil):
            self = .leaf
        case (let value?, nil), (nil, let value?):
            self = ValueShape(value, schema: schema)
        case (let x?, let y?):
            let (sx, sy) = (ValueShape(x, schema: schema), ValueShape(y, schema: schema))
            switch (sx, sy) {
            case (.object(let s), .object):
                self = .object(isStructure: s)
            case (.list(let identity), .list):
                self = .list(identity)
            case (.object, .leaf), (.list, .leaf):
                // One side is empty (`{}` or `[]`) or of another kind: granular only if it is the empty
                // form of the same kind, as smd walks `{}` against `{a: 1}` member-wise.
                self = ValueShape.isEmptyContainer(y, like: x) ? sx : .leaf
            case (.leaf, .object), (.leaf, .list):
                self = ValueShape.isEmptyContainer(x, like: y) ? sy : .leaf
            default:
                self = .leaf
            }
        }
    }

    private static func isEmptyContainer(_ value: JSONValue, like other: JSONValue) -> Bool {
        switch (value, other) {
        case (.object(let members), .object): members.isEmpty
        case (.array(let items), .array): items.isEmpty
        default: false
        }
    }
}

/// How the items of a granular list are identified.
enum ListItemIdentity {
    /// By the values of these fields of each item (an associative list); the names are sorted. A key
    /// field an item omits takes its default, if it has one.
    case keyed([String], defaults: [String: JSONValue])
    /// By the item itself (a set).
    case byValue

    /// The path element of the item at `index`. Items of an associative list that are not objects or
    /// carry none of the key fields fall back to their index (smd rejects them; updates must not fail).
    func element(of item: JSONValue, at index: Int) -> PathElement {
        switch self {
        case .byValue:
            return .value(item)
        case .keyed(let keys, let defaults):
            guard case .object(let members) = item else { return .index(index) }
            var fields: [PathElement.KeyField] = []
            fields.reserveCapacity(keys.count)
            for key in keys {
                if let value = members[key] ?? defaults[key] { fields.append(.init(name: key, value: value)) }
            }
            return fields.isEmpty ? .index(index) : .key(fields)
        }
    }

    /// The path elements of `items`, with a dictionary from element to the position of its first
    /// occurrence (later duplicates are kept in values but not tracked).
    func index(_ items: [JSONValue]) -> (elements: [PathElement], firstPosition: [PathElement: Int]) {
        var elements: [PathElement] = []
        elements.reserveCapacity(items.count)
        var firstPosition: [PathElement: Int] = [:]
        firstPosition.reserveCapacity(items.count)
        for (position, item) in items.enumerated() {
            let element = element(of: item, at: position)
            elements.append(element)
            if firstPosition[element] == nil { firstPosition[element] = position }
        }
        return (elements, firstPosition)
    }
}
