import APIModel

/// The fields in which a new version of an object differs from the old one (smd's `Comparison`). No
/// path is in more than one of the three sets.
public struct FieldComparison: Hashable, Sendable {
    /// Fields present only in the new version.
    public var added = FieldSet()
    /// Leaves present in both versions with different values.
    public var modified = FieldSet()
    /// Fields present only in the old version.
    public var removed = FieldSet()

    public init(added: FieldSet = FieldSet(), modified: FieldSet = FieldSet(), removed: FieldSet = FieldSet()) {
        self.added = added
        self.modified = modified
        self.removed = removed
    }

    /// Whether the versions are equal as far as tracked fields go.
    public var isEmpty: Bool { added.isEmpty && modified.isEmpty && removed.isEmpty }

    /// The comparison without the ignored fields.
    public func excluding(_ ignored: IgnoredFields) -> FieldComparison {
        FieldComparison(added: ignored.removing(from: added), modified: ignored.removing(from: modified),
                        removed: ignored.removing(from: removed))
    }
}
