import Foundation
import Storage
@testable import StorageEtcd
import Testing

/// The watch cursor without etcd: events from etcd's responses, and the resume point across streams.
@Suite struct EtcdWatchCursorTests {
    private func kv(_ key: String, _ value: String, create: Int64, mod: Int64) -> Mvccpb_KeyValue {
        .with {
            $0.key = Data(key.utf8)
            $0.value = Data(value.utf8)
            $0.createRevision = create
            $0.modRevision = mod
            $0.version = 1
        }
    }

    private func response(_ events: [Mvccpb_Event], revision: Int64) -> Etcdserverpb_WatchResponse {
        .with {
            $0.events = events
            $0.header = .with { $0.revision = revision }
        }
    }

    @Test func eventKinds() {
        let a1 = kv("/a", "1", create: 2, mod: 2)
        let a2 = kv("/a", "2", create: 2, mod: 3)
        let put = Mvccpb_Event.with { $0.type = .put; $0.kv = a1 }
        let update = Mvccpb_Event.with { $0.type = .put; $0.kv = a2; $0.prevKv = a1 }
        let delete = Mvccpb_Event.with {
            $0.type = .delete
            $0.kv = .with { $0.key = Data("/a".utf8); $0.modRevision = 4 }
            $0.prevKv = a2
        }
        var cursor = EtcdWatchCursor(after: 1)
        let outcome = cursor.on(response([put, update, delete], revision: 4))
        let stored1 = KeyValue(key: "/a", value: Data("1".utf8), createRevision: 2, modRevision: 2)
        let stored2 = KeyValue(key: "/a", value: Data("2".utf8), createRevision: 2, modRevision: 3)
        let deleted = KeyValue(key: "/a", value: Data("2".utf8), createRevision: 2, modRevision: 4)
        #expect(outcome == .events([
            WatchEvent(kind: .created, kv: stored1, previous: nil),
            WatchEvent(kind: .updated, kv: stored2, previous: stored1),
            WatchEvent(kind: .deleted, kv: deleted, previous: stored2),
        ]))
        #expect(cursor.startRevision == 5)
    }

    @Test func reopenedStreamDropsWhatWasDelivered() {
        var cursor = EtcdWatchCursor(after: 1)
        let events = (2...4).map { revision in
            Mvccpb_Event.with { $0.kv = kv("/k\(revision)", "v", create: revision, mod: revision) }
        }
        _ = cursor.on(response(Array(events.prefix(2)), revision: 3))
        #expect(cursor.startRevision == 4)
        // A new stream from an etcd that replays from an older revision: only revision 4 is new.
        #expect(cursor.on(.with { $0.created = true }) == .created)
        guard case .events(let delivered) = cursor.on(response(events, revision: 4)) else {
            Issue.record("expected events")
            return
        }
        #expect(delivered.map(\.revision) == [4])
    }

    @Test func progressAdvancesTheResumePoint() {
        var cursor = EtcdWatchCursor(after: 3)
        #expect(cursor.on(.with { $0.created = true; $0.header = .with { $0.revision = 40 } }) == .created)
        #expect(cursor.startRevision == 4, "a created response's revision is not progress")
        #expect(cursor.on(response([], revision: 40)) == .events([]))
        #expect(cursor.startRevision == 41)
        #expect(cursor.on(response([], revision: 20)) == .events([]))
        #expect(cursor.startRevision == 41, "progress never goes back")
    }

    @Test func compactionAndCancellation() {
        var cursor = EtcdWatchCursor(after: 3)
        #expect(cursor.on(.with { $0.compactRevision = 9; $0.canceled = true }) == .compacted(etcdCompaction: 9))
        #expect(cursor.on(.with { $0.canceled = true; $0.cancelReason = "x" }) == .canceled(reason: "x"))
    }

    @Test func keyRanges() {
        #expect(EtcdKeyRange(prefix: "/a/") == EtcdKeyRange(start: Data("/a/".utf8), end: Data("/a0".utf8)))
        #expect(EtcdKeyRange(prefix: "") == EtcdKeyRange(start: Data([0]), end: Data([0])))
        #expect(EtcdKeyRange(prefix: "/a/", after: "/a/b").start == Data("/a/b\0".utf8))
        #expect(EtcdKeyRange(prefix: "/b/", after: "/a").start == Data("/b/".utf8))
        #expect(EtcdKeyRange.prefixEnd(Data([0x61, 0xff, 0xff])) == Data([0x62]))
        #expect(EtcdKeyRange.prefixEnd(Data([0xff])) == Data([0]))
    }
}
