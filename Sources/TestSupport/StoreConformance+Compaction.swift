import Foundation
import Storage

extension StoreConformance {
    /// `compact(upTo: C)` makes C the oldest readable revision: lists below C and watches after a revision
    /// below C - 1 fail with `.compacted`; the state at C and later, the current data, and watches from
    /// C - 1 (with previous values) are intact. Compacting again at or below C does nothing.
    @Sendable public static func checkCompaction(_ store: any KeyValueStore) async throws {
        let a1 = try await store.create("/cp/a", value: bytes("a1"))
        let b1 = try await store.create("/cp/b", value: bytes("b1"))
        let a2 = try await store.update("/cp/a", value: bytes("a2"), expectedRevision: nil)
        try await store.delete("/cp/b", expectedRevision: b1.modRevision)
        let c1 = try await store.create("/cp/c", value: bytes("c1"))
        let c2 = try await store.update("/cp/c", value: bytes("c2"), expectedRevision: nil)
        let a3 = try await store.update("/cp/a", value: bytes("a3"), expectedRevision: nil)
        // The target is an update, so the value it replaced (below the target) must survive as its previous.
        let target = c2.modRevision
        let atTarget = try await store.list(prefix: "/cp/", revision: target, limit: nil, after: nil)
        try expectEqual(atTarget.items, [a2, c2], "list at the compaction target before compacting")

        try await store.compact(upTo: target)
        try expectEqual(try await store.compactedRevision(), target, "compacted revision")
        try expectEqual(
            try await store.list(prefix: "/cp/", revision: target, limit: nil, after: nil), atTarget,
            "list at the compacted revision")
        try await expectError(.compacted(requested: target - 1, compactedRevision: target), "list below it") {
            try await store.list(prefix: "/cp/", revision: target - 1, limit: nil, after: nil)
        }
        try await expectError(.compacted(requested: a1.modRevision, compactedRevision: target), "list far below") {
            try await store.list(prefix: "/cp/", revision: a1.modRevision, limit: 1, after: nil)
        }
        try expectEqual(try await store.get("/cp/a"), a3, "current value after compaction")
        try expectEqual(try await store.get("/cp/b"), nil, "deleted key after compaction")
        let now = try await store.list(prefix: "/cp/", revision: nil, limit: nil, after: nil)
        try expectEqual(now.items, [a3, c2], "current list after compaction")

        let fromTarget = WatchCollector(store.watch(prefix: "/cp/", after: target - 1))
        let tooOld = WatchCollector(store.watch(prefix: "/cp/", after: target - 2))
        defer { Task { await fromTarget.stop(); await tooOld.stop() } }
        try expectSameElements(try await fromTarget.waitForRevision(a3.modRevision), [
            WatchEvent(kind: .updated, kv: c2, previous: c1),
            WatchEvent(kind: .updated, kv: a3, previous: a2),
        ], "events replayed from the compacted revision")
        let failure = try await tooOld.waitForEnd()
        try expectEqual(failure as? StoreError, .compacted(requested: target - 2, compactedRevision: target),
                        "error of a watch from before the compacted revision")
        try expectEqual(tooOld.events, [], "events of a watch from before the compacted revision")

        try await store.compact(upTo: target - 1)
        try await store.compact(upTo: target)
        try expectEqual(try await store.compactedRevision(), target, "compacted revision after compacting lower")

        // Writes go on, and compacting everything keeps the current state.
        let aDeleted = try await store.delete("/cp/a", expectedRevision: a3.modRevision)
        let d1 = try await store.create("/cp/d", value: bytes("d1"))
        try expectEqual(d1.modRevision, aDeleted.modRevision + 1, "revisions continue after compaction")
        try expectSameElements(Array(try await fromTarget.waitForRevision(d1.modRevision).dropFirst(2)), [
            WatchEvent(kind: .deleted, kv: aDeleted, previous: a3),
            WatchEvent(kind: .created, kv: d1, previous: nil),
        ], "live events after compaction")
        try await store.compact(upTo: d1.modRevision)
        try expectEqual(try await store.compactedRevision(), d1.modRevision, "compacted to the current revision")
        let final = try await store.list(prefix: "/cp/", revision: nil, limit: nil, after: nil)
        try expectEqual(final, ListResult(items: [c2, d1], revision: d1.modRevision, hasMore: false),
                        "list after compacting to the current revision")
        let live = WatchCollector(store.watch(prefix: "/cp/", after: d1.modRevision - 1))
        defer { Task { await live.stop() } }
        try expectSameElements(
            try await live.waitForRevision(d1.modRevision), [WatchEvent(kind: .created, kv: d1, previous: nil)],
            "watch from the last compacted revision")
    }
}
