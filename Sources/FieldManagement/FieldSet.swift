import APIModel

/// A set of paths into an object: the fields a manager owns, or the fields two objects differ in.
///
/// Stored as a tree: at each node, `members` are the elements whose path is itself in the set, and
/// `children` the elements below which deeper paths are in the set. A path can be both a member and
/// have children (a list item owned as a whole and field by field: `".": {}` in FieldsV1). Children are
/// never empty.
public struct FieldSet: Hashable, Sendable, CustomStringConvertible {
    /// Elements whose one-element path (relative to this node) is in the set.
    public private(set) var members: Set<PathElement>
    /// For each element, the set of the paths below it (relative to it). Never holds an empty set.
    public private(set) var children: [PathElement: FieldSet]

    /// The empty set.
    public init() {
        members = []
        children = [:]
    }

    /// The set of the given paths.
    public init<S: Sequence>(_ paths: S) where S.Element == FieldPath {
        self.init()
        for path in paths { insert(path) }
    }

    /// Whether the set holds no path.
    public var isEmpty: Bool { members.isEmpty && children.isEmpty }

    /// Adds `path` (the empty path is ignored: the root is never a member).
    public mutating func insert(_ path: FieldPath) {
        insert(path.elements[...])
    }

    mutating func insert(_ elements: ArraySlice<PathElement>) {
        guard let first = elements.first else { return }
        if elements.count == 1 {
            members.insert(first)
        } else {
            children[first, default: FieldSet()].insert(elements.dropFirst())
        }
    }

    /// Adds the one-element path `element`.
    mutating func insert(_ element: PathElement) {
        members.insert(element)
    }

    /// Puts `set` below `element` (merged with what is already there).
    mutating func insert(_ set: FieldSet, below element: PathElement) {
        guard !set.isEmpty else { return }
        if let existing = children[element] {
            children[element] = existing.union(set)
        } else {
            children[element] = set
        }
    }

    /// Whether `path` is in the set.
    public func contains(_ path: FieldPath) -> Bool {
        var node = self
        for (offset, element) in path.elements.enumerated() {
            if offset == path.elements.count - 1 { return node.members.contains(element) }
            guard let child = node.children[element] else { return false }
            node = child
        }
        return false
    }

    /// The paths below `element`, relative to it (empty when there are none).
    public func below(_ element: PathElement) -> FieldSet {
        children[element] ?? FieldSet()
    }

    /// The paths in either set.
    public func union(_ other: FieldSet) -> FieldSet {
        if other.isEmpty { return self }
        if isEmpty { return other }
        var result = self
        result.members.formUnion(other.members)
        for (element, child) in other.children {
            result.insert(child, below: element)
        }
        return result
    }

    /// The paths in both sets.
    public func intersection(_ other: FieldSet) -> FieldSet {
        var result = FieldSet()
        result.members = members.intersection(other.members)
        for (element, child) in children {
            guard let otherChild = other.children[element] else { continue }
            let common = child.intersection(otherChild)
            if !common.isEmpty { result.children[element] = common }
        }
        return result
    }

    /// The paths of this set that are not in `other` (paths below a member of `other` stay).
    public func subtracting(_ other: FieldSet) -> FieldSet {
        if isEmpty || other.isEmpty { return self }
        var result = FieldSet()
        result.members = members.subtracting(other.members)
        for (element, child) in children {
            let rest = other.children[element].map(child.subtracting) ?? child
            if !rest.isEmpty { result.children[element] = rest }
        }
        return result
    }

    /// The paths of this set that are neither in `other` nor below a member of `other` (smd's
    /// `RecursiveDifference`): subtracting `status` removes `.status` and everything under it.
    public func subtractingRecursively(_ other: FieldSet) -> FieldSet {
        if isEmpty || other.isEmpty { return self }
        var result = FieldSet()
        result.members = members.subtracting(other.members)
        for (element, child) in children where !other.members.contains(element) {
            let rest = other.children[element].map(child.subtractingRecursively) ?? child
            if !rest.isEmpty { result.children[element] = rest }
        }
        return result
    }

    /// The paths of the set, in the order smd iterates them: at each node its members (in element order),
    /// then the paths below each child (in element order).
    public var paths: [FieldPath] {
        var result: [FieldPath] = []
        var prefix: [PathElement] = []
        collect(into: &result, prefix: &prefix)
        return result
    }

    /// The number of paths in the set.
    public var count: Int {
        children.values.reduce(members.count) { $0 + $1.count }
    }

    private func collect(into result: inout [FieldPath], prefix: inout [PathElement]) {
        for element in members.sorted() {
            prefix.append(element)
            result.append(FieldPath(prefix))
            prefix.removeLast()
        }
        for element in children.keys.sorted() {
            prefix.append(element)
            children[element]!.collect(into: &result, prefix: &prefix)
            prefix.removeLast()
        }
    }

    /// The paths, one per line, as Kubernetes prints them.
    public var description: String {
        paths.map(\.description).joined(separator: "\n")
    }
}
