import Foundation
import Storage

/// Where one watch is, and how etcd's watch responses become store events. Pure: the watch loop
/// (`EtcdWatch`) feeds it every response of every stream it opens and acts on the outcome.
///
/// `delivered` only grows: a stream reopened after a break starts at `delivered + 1`, and events at or
/// below `delivered` (sent again by a new stream) are dropped, so none is lost or doubled.
struct EtcdWatchCursor: Equatable {
    /// Every event up to this revision was delivered, or etcd reported (progress) that there were none.
    private(set) var delivered: Revision

    /// What a response means for the watch.
    enum Outcome: Equatable {
        /// etcd registered the watch; events from `startRevision` follow.
        case created
        /// Events to deliver, in order (none for a progress notification).
        case events([WatchEvent])
        /// etcd no longer has the revisions the watch needs; its compaction revision is given.
        case compacted(etcdCompaction: Revision)
        /// etcd cancelled the watch for another reason; the stream should be reopened.
        case canceled(reason: String)
    }

    init(after: Revision) {
        delivered = after
    }

    /// The revision a new stream asks etcd to start from (inclusive).
    var startRevision: Revision { delivered + 1 }

    mutating func on(_ response: Etcdserverpb_WatchResponse) -> Outcome {
        if response.compactRevision != 0 { return .compacted(etcdCompaction: response.compactRevision) }
        if response.canceled { return .canceled(reason: response.cancelReason) }
        if response.created { return .created }
        guard let last = response.events.last else {
            // A progress notification: nothing more for this watch up to the header's revision.
            delivered = max(delivered, response.header.revision)
            return .events([])
        }
        let events = response.events.filter { $0.kv.modRevision > delivered }.map(Self.watchEvent)
        delivered = max(delivered, last.kv.modRevision)
        return .events(events)
    }

    /// The store event of an etcd event (created with `prev_kv`): a put whose key was created at its own
    /// revision is a creation; a deletion carries the previous value, stamped with the deletion's revision.
    static func watchEvent(_ event: Mvccpb_Event) -> WatchEvent {
        let previous = event.hasPrevKv ? KeyValue(event.prevKv) : nil
        switch event.type {
        case .delete:
            var deleted = previous ?? KeyValue(key: String(etcdKey: event.kv.key), value: Data(), createRevision: 0,
                                               modRevision: 0)
            deleted.modRevision = event.kv.modRevision
            return WatchEvent(kind: .deleted, kv: deleted, previous: previous)
        default:
            let kv = KeyValue(event.kv)
            if kv.createRevision == kv.modRevision { return WatchEvent(kind: .created, kv: kv, previous: nil) }
            return WatchEvent(kind: .updated, kv: kv, previous: previous)
        }
    }
}
