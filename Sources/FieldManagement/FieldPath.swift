import APIModel

/// A path from the root of an object to one of its fields or list items.
public struct FieldPath: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var elements: [PathElement]

    public init(_ elements: [PathElement]) {
        self.elements = elements
    }

    /// A path of field names only: `FieldPath(fields: "spec", "replicas")`.
    public init(fields names: String...) {
        self.elements = names.map(PathElement.field)
    }

    /// The path as Kubernetes prints it in apply conflicts: `.spec.replicas`,
    /// `.spec.template.spec.containers[name="nginx"].image`, `.metadata.finalizers[="a"]`.
    public var description: String {
        elements.map(\.description).joined()
    }

    public static func < (lhs: FieldPath, rhs: FieldPath) -> Bool {
        lhs.elements.lexicographicallyPrecedes(rhs.elements)
    }
}
