import APIModel
import Foundation
import Storage

/// One object as the cache holds it: its encoding with `resourceVersion` in place, ready to be written to
/// any response as is, and the facts selectors need.
public struct CachedObject: Sendable {
    public var key: String
    public var revision: Revision
    /// The JSON encoding, with `metadata.resourceVersion` set to `revision`.
    public var data: Data
    public var summary: ObjectSummary
}

/// A change as watchers see it.
public struct CacheEvent: Sendable {
    public enum Kind: String, Sendable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
    }

    public var kind: Kind
    /// The object after the change; for deletions, its last state stamped with the deletion's revision.
    public var object: CachedObject
    /// The object before the change (modifications and deletions).
    public var previous: CachedObject?
    /// The resource bucket (key prefix of the resource) the object belongs to.
    public var bucket: String

    public var revision: Revision { object.revision }
}

/// What a watcher or a list selects: objects under a key prefix that match the label and field selectors.
public struct ObjectFilter: Sendable {
    /// The resource's key prefix (the cache bucket).
    public var bucket: String
    /// A narrower prefix inside the bucket (one namespace), or the bucket itself.
    public var prefix: String
    public var labels: LabelMatcher
    public var fields: FieldMatcher

    /// Every object of every resource (for components that follow the whole store, like the garbage collector).
    public static let everything = ObjectFilter(bucket: "", prefix: "/registry/")

    /// Whether an event of `bucket` concerns this filter.
    public func covers(bucket other: String) -> Bool { bucket.isEmpty || bucket == other }

    public init(bucket: String, prefix: String, labels: LabelMatcher = .everything, fields: FieldMatcher = .everything) {
        self.bucket = bucket
        self.prefix = prefix
        self.labels = labels
        self.fields = fields
    }

    public func matches(_ object: CachedObject) -> Bool {
        object.key.hasPrefix(prefix) && labels.matches(object.summary.labels) && fields.matches(object.summary.fields)
    }
}
