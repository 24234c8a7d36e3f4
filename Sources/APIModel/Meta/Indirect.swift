/// A value held out of line. Generated model types keep their nested struct fields in one, so that a field
/// left unset costs a pointer instead of the nested struct's full size: a `Container` with no probes,
/// lifecycle or security context, or a cached `Pod`, is several times smaller than with inline storage.
/// Immutable: setting the field stores a new box, so copies of the outer value never share changes.
public final class Indirect<Value: Hashable & Sendable>: Hashable, Sendable {
    public let value: Value

    public init(_ value: Value) {
        self.value = value
    }

    public static func == (lhs: Indirect, rhs: Indirect) -> Bool {
        lhs === rhs || lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(value)
    }
}
