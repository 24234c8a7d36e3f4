import Foundation

/// A store revision. Every successful write advances one global revision by exactly one; the revision
/// at which a key was last written is the `resourceVersion` of the object it holds.
public typealias Revision = Int64

/// One key and the value stored under it, with the revisions etcd reports for it.
public struct KeyValue: Sendable, Equatable {
    public var key: String
    public var value: Data
    /// The revision at which the key was created (after its latest deletion, if any).
    public var createRevision: Revision
    /// The revision of the write that produced this value.
    public var modRevision: Revision

    public init(key: String, value: Data, createRevision: Revision, modRevision: Revision) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
    }
}

/// A page of a prefix listing taken at one revision.
public struct ListResult: Sendable, Equatable {
    /// Keys in ascending byte order.
    public var items: [KeyValue]
    /// The revision the listing was taken at. Later pages must be requested at this revision.
    public var revision: Revision
    /// True when keys after the last item remain (only possible when a limit was given).
    public var hasMore: Bool

    public init(items: [KeyValue], revision: Revision, hasMore: Bool) {
        self.items = items
        self.revision = revision
        self.hasMore = hasMore
    }
}

/// A change seen by a watch.
public struct WatchEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The key was created (it did not exist before this revision).
        case created
        /// The key existed and was overwritten.
        case updated
        /// The key was deleted.
        case deleted
    }

    public var kind: Kind
    /// For `.created`/`.updated`: the new key-value. For `.deleted`: the key with the value it had just
    /// before deletion, `modRevision` set to the revision of the deletion.
    public var kv: KeyValue
    /// The value before this event, when there was one (`.updated` and `.deleted`).
    public var previous: KeyValue?

    public var revision: Revision { kv.modRevision }

    public init(kind: Kind, kv: KeyValue, previous: KeyValue?) {
        self.kind = kind
        self.kv = kv
        self.previous = previous
    }
}

/// The errors every store reports, in this vocabulary only.
public enum StoreError: Error, Sendable, Equatable {
    /// `create` found the key present.
    case alreadyExists(key: String)
    /// The key is absent (update or delete of a missing key).
    case notFound(key: String)
    /// A guarded write found a different `modRevision`; `current` is what is stored now.
    case conflict(current: KeyValue)
    /// The requested revision was compacted away; `compactedRevision` is the oldest revision still readable.
    case compacted(requested: Revision, compactedRevision: Revision)
    /// The requested revision is newer than the store's current revision.
    case futureRevision(requested: Revision, current: Revision)
    /// The backend failed (I/O, corruption, closed store). Nothing was written.
    case unavailable(String)
}

/// A key-value store with etcd semantics.
///
/// Contract (checked by the conformance suite in `TestSupport`):
/// - One global revision, starting at 1 for an empty store (nothing was ever written at revision 1 or below).
///   Each successful create, update or delete increments it by one and is stamped with the new revision.
/// - Reads are linearizable with writes of the same store: once a write has returned, every later read sees it.
/// - Keys are compared and prefix-matched as UTF-8 bytes (`"/a/"` matches `"/a/b"`, not `"/a2/b"`).
/// - `list(prefix:)` returns keys with that string prefix in ascending order, as they were at `revision`
///   (nil: the current revision). `limit` bounds the page; `after` continues after that key.
/// - `create` fails with `.alreadyExists` if the key is present. `update` and `delete` with an
///   `expectedRevision` fail with `.conflict` unless the key's `modRevision` equals it; absent keys give `.notFound`.
/// - `watch(prefix:after:)` yields every event with revision > `after` for keys with the prefix, in revision
///   order, none lost or doubled, first the stored history, then live events. If history the watch needs was
///   discarded (`after + 1 < compactedRevision()`) the sequence throws
///   `.compacted(requested: after, compactedRevision:)` before any event.
/// - `compact(upTo: C)` discards history older than C: `compactedRevision()` becomes C, reads at revisions
///   below C throw `.compacted`, reads at C and later still work, and watches need `after >= C - 1`.
/// - Every error thrown is a `StoreError` (a cancelled read reports `.unavailable("cancelled")`).
/// - An acknowledged write is durable for backends that claim durability (it survives `kill -9`).
public protocol KeyValueStore: Sendable {
    /// The newest revision (the revision of the last write, or 1 for an empty store).
    func currentRevision() async throws -> Revision

    /// The oldest revision that can still be read or watched from (`after` may be one less); 1 until the
    /// store is first compacted.
    func compactedRevision() async throws -> Revision

    /// The current value of a key, or nil.
    func get(_ key: String) async throws -> KeyValue?

    /// A page of keys with the prefix, at `revision` (nil: now), in ascending byte order.
    ///
    /// - `limit`: at most this many items (nil or <= 0: no limit); `hasMore` tells whether keys remain.
    /// - `after`: only keys strictly after this one. To page consistently pass the `revision` of the first
    ///   page to every later one: the pages then add up to one unlimited list at that revision.
    /// - Throws `.futureRevision` above the current revision and `.compacted` below the compacted one.
    func list(prefix: String, revision: Revision?, limit: Int?, after: String?) async throws -> ListResult

    /// Stores a new key; returns the stored key-value.
    @discardableResult
    func create(_ key: String, value: Data) async throws -> KeyValue

    /// Overwrites an existing key, if `expectedRevision` (when given) matches its `modRevision`.
    @discardableResult
    func update(_ key: String, value: Data, expectedRevision: Revision?) async throws -> KeyValue

    /// Deletes a key, if `expectedRevision` (when given) matches its `modRevision`. Returns the deleted
    /// key-value with `modRevision` set to the revision of the deletion.
    @discardableResult
    func delete(_ key: String, expectedRevision: Revision?) async throws -> KeyValue

    /// Events after `after` for keys with the prefix, then live ones, until the consumer stops iterating
    /// or the store closes (then the sequence finishes).
    func watch(prefix: String, after: Revision) -> AsyncThrowingStream<WatchEvent, Error>

    /// Discards history before `revision` (see the protocol's contract). Throws `.futureRevision` when it is
    /// above the current revision; compacting at or below the compacted revision does nothing.
    func compact(upTo revision: Revision) async throws
}
