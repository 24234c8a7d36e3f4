import APIModel

/// What one kind adds to the generic object handling: defaulting, validation, status handling, the fields
/// it can be selected by, its table columns and its scale subresource.
public struct KindRules<T: KubernetesObject>: Sendable {
    public var info: ResourceInfo
    /// Copies `from`'s status into `into`. Nil when the kind has no status subresource: then status is
    /// an ordinary part of the object.
    public var copyStatus: (@Sendable (_ into: inout T, _ from: T) -> Void)?
    /// Fills in defaults before validation, on create and update.
    public var defaults: @Sendable (inout T) -> Void
    /// On update, after `defaults`: carries over from the stored object what the client may leave out
    /// (Kubernetes' `PrepareForUpdate`), e.g. a service's cluster IPs.
    public var prepareUpdate: @Sendable (_ new: inout T, _ old: T) -> Void
    /// Kind-specific validation of a new object (`old` is the stored object on update).
    public var validate: @Sendable (_ new: T, _ old: T?) -> [FieldError]
    /// Warnings for a valid object that is probably not what its author meant (Kubernetes' `WarningsOnCreate`
    /// and `WarningsOnUpdate`), sent back as `Warning` headers.
    public var warnings: @Sendable (T) -> [String]
    /// Field-selector values beyond `metadata.name` and `metadata.namespace`.
    public var selectableFields: @Sendable (T) -> [String: String]
    /// The columns `kubectl get` shows.
    public var table: TablePrinter<T>
    /// Access to replicas for the `scale` subresource.
    public var scale: ScaleAccess<T>?
    /// For kinds deleted gracefully (pods): how a DELETE asking for `requested` seconds (nil: none asked)
    /// treats the object. Nil for kinds that are removed at once.
    public var deletionGrace: (@Sendable (_ object: T, _ requested: Int64?) -> DeletionGrace)?
    /// Whether a create keeps the status the client sent (nodes register with theirs); other kinds with a
    /// status subresource start with an empty status.
    public var createKeepsStatus: Bool

    public init(info: ResourceInfo,
                copyStatus: (@Sendable (_ into: inout T, _ from: T) -> Void)? = nil,
                defaults: @escaping @Sendable (inout T) -> Void = { _ in },
                prepareUpdate: @escaping @Sendable (_ new: inout T, _ old: T) -> Void = { _, _ in },
                validate: @escaping @Sendable (_ new: T, _ old: T?) -> [FieldError] = { _, _ in [] },
                warnings: @escaping @Sendable (T) -> [String] = { _ in [] },
                selectableFields: @escaping @Sendable (T) -> [String: String] = { _ in [:] },
                table: TablePrinter<T> = .nameAndAge,
                scale: ScaleAccess<T>? = nil,
                deletionGrace: (@Sendable (_ object: T, _ requested: Int64?) -> DeletionGrace)? = nil,
                createKeepsStatus: Bool = false) {
        self.info = info
        self.copyStatus = copyStatus
        self.defaults = defaults
        self.prepareUpdate = prepareUpdate
        self.validate = validate
        self.warnings = warnings
        self.selectableFields = selectableFields
        self.table = table
        self.scale = scale
        self.deletionGrace = deletionGrace
        self.createKeepsStatus = createKeepsStatus
    }
}

/// How long a graceful deletion waits, and who finishes it.
public struct DeletionGrace: Sendable, Hashable {
    /// The grace period; 0 removes the object at once (finalizers still hold it).
    public var seconds: Int64
    /// The node whose agent finishes the deletion (by deleting again with a grace period of 0). When no such
    /// node is registered nobody would, so the object is removed at once, as Kubernetes' pod garbage
    /// collector does for pods bound to missing nodes.
    public var finishedByNode: String?

    public init(seconds: Int64, finishedByNode: String?) {
        self.seconds = seconds
        self.finishedByNode = finishedByNode
    }

    /// Removed at once.
    public static let immediate = DeletionGrace(seconds: 0, finishedByNode: nil)
}

/// How the `scale` subresource reads and writes a kind's replica count.
public struct ScaleAccess<T: KubernetesObject>: Sendable {
    public var specReplicas: @Sendable (T) -> Int32
    public var setSpecReplicas: @Sendable (inout T, Int32) -> Void
    public var statusReplicas: @Sendable (T) -> Int32
    /// The label selector in its string form (`app=web`), as `Scale.status.selector`.
    public var selector: @Sendable (T) -> String

    public init(specReplicas: @escaping @Sendable (T) -> Int32,
                setSpecReplicas: @escaping @Sendable (inout T, Int32) -> Void,
                statusReplicas: @escaping @Sendable (T) -> Int32,
                selector: @escaping @Sendable (T) -> String) {
        self.specReplicas = specReplicas
        self.setSpecReplicas = setSpecReplicas
        self.statusReplicas = statusReplicas
        self.selector = selector
    }
}
