import APIModel

/// Fields that a write neither takes ownership of nor conflicts on (smd's `IgnoredFields`, which
/// kube-apiserver fills from each resource strategy's reset fields).
///
/// Main-resource writes of kinds with a status subresource ignore `status`
/// (`IgnoredFields(fields: "status")`); status-subresource writes ignore everything else
/// (`.allFields(except: ["status"])`).
public struct IgnoredFields: Hashable, Sendable {
    /// Paths ignored with everything under them.
    public var subtrees: FieldSet
    /// When set, every top-level field not named here is ignored too.
    public var onlyTrackedTopLevelFields: Set<String>?

    /// Ignores the given paths and everything under them.
    public init(subtrees: FieldSet, onlyTrackedTopLevelFields: Set<String>? = nil) {
        self.subtrees = subtrees
        self.onlyTrackedTopLevelFields = onlyTrackedTopLevelFields
    }

    /// Ignores the given top-level fields and everything under them (`IgnoredFields(fields: "status")`).
    public init(fields names: String...) {
        self.init(subtrees: FieldSet(names.map { FieldPath(fields: $0) }))
    }

    /// Nothing ignored.
    public static let none = IgnoredFields(subtrees: FieldSet())

    /// Every top-level field except `names` ignored, with everything under it.
    public static func allFields(except names: Set<String>) -> IgnoredFields {
        IgnoredFields(subtrees: FieldSet(), onlyTrackedTopLevelFields: names)
    }

    /// `set` without the ignored paths.
    public func removing(from set: FieldSet) -> FieldSet {
        var result = set.subtractingRecursively(subtrees)
        if let tracked = onlyTrackedTopLevelFields {
            var untracked = FieldSet()
            for element in result.members.union(result.children.keys) {
                if case .field(let name) = element, tracked.contains(name) { continue }
                untracked.insert(FieldPath([element]))
            }
            result = result.subtractingRecursively(untracked)
        }
        return result
    }

    /// What kube-apiserver strips from every manager's fields whatever the request (its `stripMetaManager`):
    /// `apiVersion`, `kind`, `metadata` itself, and the metadata fields the server sets. These are exact
    /// paths: the members of `metadata` other than these stay tracked.
    static let serverOwned = FieldSet([
        FieldPath(fields: "apiVersion"),
        FieldPath(fields: "kind"),
        FieldPath(fields: "metadata"),
        FieldPath(fields: "metadata", "name"),
        FieldPath(fields: "metadata", "namespace"),
        FieldPath(fields: "metadata", "creationTimestamp"),
        FieldPath(fields: "metadata", "selfLink"),
        FieldPath(fields: "metadata", "uid"),
        FieldPath(fields: "metadata", "clusterName"),
        FieldPath(fields: "metadata", "generation"),
        FieldPath(fields: "metadata", "managedFields"),
        FieldPath(fields: "metadata", "resourceVersion"),
        FieldPath(fields: "metadata", "deletionTimestamp"),
        FieldPath(fields: "metadata", "deletionGracePeriodSeconds"),
    ])
}
