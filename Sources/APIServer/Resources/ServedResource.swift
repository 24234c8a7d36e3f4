import APIModel
import Foundation

/// How strictly unknown fields in a request body are treated (`fieldValidation` query parameter).
public enum FieldValidation: String, Sendable {
    case strict = "Strict"
    case warn = "Warn"
    case ignore = "Ignore"
}

/// The request facts a write needs besides the body.
public struct WriteContext: Sendable {
    /// The namespace from the URL (nil for cluster-scoped resources and all-namespace paths).
    public var namespace: String?
    /// The name from the URL (nil for a create).
    public var name: String?
    public var fieldValidation: FieldValidation
    /// `status` when writing the status subresource.
    public var subresource: ResourceInfo.Subresource?
    public var now: Time

    public init(namespace: String?, name: String?, fieldValidation: FieldValidation,
                subresource: ResourceInfo.Subresource? = nil, now: Time = .now()) {
        self.namespace = namespace
        self.name = name
        self.fieldValidation = fieldValidation
        self.subresource = subresource
        self.now = now
    }
}

/// An object ready to be stored: its encoding (without `resourceVersion`, which the store assigns) and the
/// metadata the handlers need.
public struct PreparedObject: Sendable {
    public var data: Data
    public var metadata: ObjectMeta
    /// Warnings for the `Warning` response header (unknown fields under `fieldValidation=Warn`).
    public var warnings: [String]
    /// For updates: the object equals the stored one, so nothing needs writing.
    public var unchanged: Bool

    public var name: String { metadata.name ?? "" }
}

/// What the watch cache and selectors need to know of a stored object without decoding it again.
public struct ObjectSummary: Sendable {
    public var name: String
    public var namespace: String?
    public var labels: [String: String]
    /// Field-selector values, including `metadata.name` and `metadata.namespace`.
    public var fields: [String: String]
    public var uid: String = ""
    /// The objects that own this one (`metadata.ownerReferences`).
    public var owners: [OwnerReference] = []
    public var finalizers: [String] = []
    /// Whether `metadata.deletionTimestamp` is set.
    public var isDeleting: Bool = false

    /// Takes `other`'s storage for every part equal to it (the summary of the version before), so that
    /// unchanged labels, fields and references are held once across versions.
    mutating func share(with other: ObjectSummary) {
        if name == other.name { name = other.name }
        if namespace == other.namespace { namespace = other.namespace }
        if labels == other.labels { labels = other.labels }
        if fields == other.fields { fields = other.fields }
        if uid == other.uid { uid = other.uid }
        if owners == other.owners { owners = other.owners }
        if finalizers == other.finalizers { finalizers = other.finalizers }
    }
}

/// The type-erased behaviour of one served resource. Everything works on encoded JSON so the handlers stay
/// independent of Swift types; `ResourceType<T>` implements it for a Codable kind.
public protocol ServedResource: Sendable {
    var info: ResourceInfo { get }

    /// Decodes, defaults, validates and stamps a new object from a JSON body.
    func prepareCreate(_ body: Data, context: WriteContext) throws(APIError) -> PreparedObject

    /// Decodes, defaults and validates a replacement of `existing` (a stored encoding, with its
    /// `resourceVersion` spliced in) from a JSON body. Honors the status subresource split.
    func prepareUpdate(_ body: Data, existing: Data, context: WriteContext) throws(APIError) -> PreparedObject

    /// Labels, name, namespace and selectable fields of a stored object.
    func summarize(_ data: Data) throws -> ObjectSummary

    /// The stored object marked for deletion, for objects held by finalizers or deleted gracefully:
    /// `deletionTimestamp` becomes `now + gracePeriodSeconds` and `deletionGracePeriodSeconds` the grace
    /// period, unless the object is already marked to go at that time or earlier (a later DELETE can only
    /// shorten a grace period). `unchanged` says nothing needs writing.
    func markDeleting(_ data: Data, now: Time, gracePeriodSeconds: Int64, addingFinalizer: String?) throws -> PreparedObject

    /// How a DELETE asking for `requested` seconds treats the stored object: `.immediate` for kinds that are
    /// not deleted gracefully.
    func deletionGrace(_ data: Data, requested: Int64?) throws -> DeletionGrace

    /// The table columns of this kind.
    var tableColumns: [TableColumn] { get }

    /// The table cells of a stored object, and its metadata (for the row's PartialObjectMetadata).
    func tableRow(_ data: Data, now: Time) throws -> (cells: [JSONValue], metadata: ObjectMeta)

    /// The field-selector fields this kind supports.
    var selectableFieldNames: Set<String> { get }

    /// The `autoscaling/v1 Scale` view of a stored object (nil if the kind has no scale subresource).
    func scale(of data: Data) throws -> Scale?

    /// A body for `prepareUpdate` that sets the replicas of `existing` to `replicas`.
    func settingReplicas(_ replicas: Int32, in existing: Data) throws -> Data
}
