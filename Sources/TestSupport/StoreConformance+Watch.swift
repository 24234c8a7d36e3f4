import Foundation
import Storage

extension StoreConformance {
    /// A watch from a past revision yields exactly the later stored events in order (with the right kinds
    /// and previous values), then live events, none twice.
    @Sendable public static func checkWatchReplaysHistoryThenLive(_ store: any KeyValueStore) async throws {
        var expected: [WatchEvent] = []
        let a1 = try await store.create("/w/a", value: bytes("a1"))
        expected.append(WatchEvent(kind: .created, kv: a1, previous: nil))
        let a2 = try await store.update("/w/a", value: bytes("a2"), expectedRevision: nil)
        expected.append(WatchEvent(kind: .updated, kv: a2, previous: a1))
        let b1 = try await store.create("/w/b", value: bytes("b1"))
        expected.append(WatchEvent(kind: .created, kv: b1, previous: nil))
        let aDeleted = try await store.delete("/w/a", expectedRevision: nil)
        expected.append(WatchEvent(kind: .deleted, kv: aDeleted, previous: a2))
        let c1 = try await store.create("/w/c", value: bytes("c1"))
        expected.append(WatchEvent(kind: .created, kv: c1, previous: nil))
        try expectEqual(
            aDeleted, KeyValue(key: "/w/a", value: bytes("a2"), createRevision: a1.createRevision,
                               modRevision: b1.modRevision + 1), "deleted key-value")

        let fromStart = WatchCollector(store.watch(prefix: "/w/", after: 0))
        let fromMiddle = WatchCollector(store.watch(prefix: "/w/", after: a2.modRevision))
        let fromNow = WatchCollector(store.watch(prefix: "/w/", after: c1.modRevision))
        defer { Task { await fromStart.stop(); await fromMiddle.stop(); await fromNow.stop() } }

        try expectSameElements(try await fromStart.waitForRevision(c1.modRevision), expected, "history from revision 0")
        try expectSameElements(
            try await fromMiddle.waitForRevision(c1.modRevision), Array(expected[2...]), "history from the middle")

        let b2 = try await store.update("/w/b", value: bytes("b2"), expectedRevision: b1.modRevision)
        expected.append(WatchEvent(kind: .updated, kv: b2, previous: b1))
        let cDeleted = try await store.delete("/w/c", expectedRevision: nil)
        expected.append(WatchEvent(kind: .deleted, kv: cDeleted, previous: c1))
        let d1 = try await store.create("/w/d", value: bytes("d1"))
        expected.append(WatchEvent(kind: .created, kv: d1, previous: nil))

        try expectSameElements(
            try await fromStart.waitForRevision(d1.modRevision), expected, "history then live from 0")
        try expectSameElements(
            try await fromMiddle.waitForRevision(d1.modRevision), Array(expected[2...]), "history then live")
        try expectSameElements(try await fromNow.waitForRevision(d1.modRevision), Array(expected[5...]), "live only")

        // Nothing is doubled or extra: the next event each watcher sees is this one.
        let end = try await store.create("/w/end", value: bytes("end"))
        expected.append(WatchEvent(kind: .created, kv: end, previous: nil))
        try expectSameElements(try await fromStart.waitForRevision(end.modRevision), expected, "all events from 0")
        try expectSameElements(
            try await fromMiddle.waitForRevision(end.modRevision), Array(expected[2...]), "all events from the middle")
        try expectSameElements(
            try await fromNow.waitForRevision(end.modRevision), Array(expected[5...]), "all live events")
    }

    /// A watch yields only keys with its prefix, byte-wise ("/a/" does not match "/a2/...").
    @Sendable public static func checkWatchFiltersByPrefix(_ store: any KeyValueStore) async throws {
        let prefix = "/registry/pods/default/"
        try await store.create("/registry/pods/default/early", value: bytes("e"))
        let start = try await store.currentRevision()
        let watcher = WatchCollector(store.watch(prefix: prefix, after: start))
        let everything = WatchCollector(store.watch(prefix: "", after: start))
        defer { Task { await watcher.stop(); await everything.stop() } }

        var expected: [WatchEvent] = []
        try await store.create("/registry/pods/default2/x", value: bytes("x"))
        let a = try await store.create("/registry/pods/default/a", value: bytes("a"))
        expected.append(WatchEvent(kind: .created, kv: a, previous: nil))
        try await store.create("/registry/pods/default", value: bytes("no slash"))
        try await store.create("/registry/pods/defaul", value: bytes("short"))
        let b = try await store.create("/registry/pods/default/b", value: bytes("b"))
        expected.append(WatchEvent(kind: .created, kv: b, previous: nil))
        try await store.update("/registry/pods/default2/x", value: bytes("x2"), expectedRevision: nil)
        let aDeleted = try await store.delete("/registry/pods/default/a", expectedRevision: nil)
        expected.append(WatchEvent(kind: .deleted, kv: aDeleted, previous: a))
        try await store.delete("/registry/pods/default2/x", expectedRevision: nil)
        let end = try await store.create("/registry/pods/default/zz", value: bytes("end"))
        expected.append(WatchEvent(kind: .created, kv: end, previous: nil))

        try expectSameElements(try await watcher.waitForRevision(end.modRevision), expected, "events under the prefix")
        let all = try await everything.waitForRevision(end.modRevision)
        try expectEqual(all.count, 9, "events with the empty prefix")
        try expectSameElements(all.map(\.revision), Array(start + 1...start + 9), "revisions with the empty prefix")

        // A later watch replaying the same history filters it the same way.
        let replay = WatchCollector(store.watch(prefix: prefix, after: start))
        defer { Task { await replay.stop() } }
        try expectSameElements(
            try await replay.waitForRevision(end.modRevision), expected, "replayed events under the prefix")
    }

    /// Eight tasks writing 100 keys each get unique, contiguous revisions; a watcher started before them,
    /// one started while they run (switching from history to live under load) and one started after see
    /// every write exactly once, in revision order.
    @Sendable public static func checkConcurrentWritersAndWatchers(_ store: any KeyValueStore) async throws {
        let writers = 8
        let writesPerWriter = 100
        let total = writers * writesPerWriter
        let start = try await store.currentRevision()
        let before = WatchCollector(store.watch(prefix: "/conc/", after: start))
        let during = Locked<WatchCollector?>(nil)

        let results = try await withThrowingTaskGroup(of: [KeyValue].self) { group in
            for writer in 0..<writers {
                group.addTask {
                    var written: [KeyValue] = []
                    for index in 0..<writesPerWriter {
                        let key = "/conc/w\(writer)/k\(index / 2)"
                        // Alternate creates and guarded updates of the key just created.
                        if index % 2 == 0 {
                            written.append(try await store.create(key, value: bytes("\(index)")))
                        } else {
                            written.append(try await store.update(
                                key, value: bytes("\(index)"), expectedRevision: written.last!.modRevision))
                        }
                        if writer == 0, index == writesPerWriter / 4 {
                            during.withLock { $0 = WatchCollector(store.watch(prefix: "/conc/", after: start)) }
                        }
                    }
                    return written
                }
            }
            var all: [KeyValue] = []
            for try await written in group { all += written }
            return all
        }
        let after = WatchCollector(store.watch(prefix: "/conc/", after: start))
        let watchers = [before, during.withLock { $0! }, after]
        defer { Task { for watcher in watchers { await watcher.stop() } } }

        let revisions = results.map(\.modRevision).sorted()
        try expectSameElements(revisions, Array(start + 1...start + Revision(total)), "revisions of concurrent writes")
        try expectEqual(try await store.currentRevision(), start + Revision(total), "current revision")
        let byRevision = Dictionary(uniqueKeysWithValues: results.map { ($0.modRevision, $0) })

        let sentinel = try await store.create("/conc/zz", value: bytes("end"))
        for (name, watcher) in zip(["before", "during", "after"], watchers) {
            let events = try await watcher.waitForRevision(sentinel.modRevision)
            try expectEqual(events.count, total + 1, "number of events seen by the watcher started \(name)")
            try expectSameElements(events.map(\.revision), Array(start + 1...sentinel.modRevision),
                            "revisions seen by the watcher started \(name)")
            for event in events.dropLast() {
                try expectEqual(event.kv, byRevision[event.revision], "event \(event.revision) seen \(name)")
            }
        }
    }
}
