import Foundation
import Storage
import StorageSQLite
import TestSupport
import Testing

/// Behaviour of `SQLiteStore` beyond the shared contract: persistence, closing, watcher bookkeeping.
@Suite struct SQLiteStoreTests {
    @Test func createsStateDatabaseInDirectory() async throws {
        try await withTemporaryDirectory { directory in
            let nested = directory.appendingPathComponent("data/skiff")
            let store = try SQLiteStore(directory: nested)
            defer { store.close() }
            #expect(store.path == nested.appendingPathComponent("state.db").path)
            try await store.create("/a", value: Data("1".utf8))
            #expect(FileManager.default.fileExists(atPath: store.path))
            // WAL journal mode: commits go to the -wal file.
            #expect(FileManager.default.fileExists(atPath: store.path + "-wal"))
        }
    }

    @Test func reopenedStoreHasEverythingAndRevisionsContinue() async throws {
        try await withTemporaryDirectory { directory in
            let first = try SQLiteStore(directory: directory)
            let a1 = try await first.create("/r/a", value: Data("a1".utf8))
            let b1 = try await first.create("/r/b", value: Data("b1".utf8))
            let a2 = try await first.update("/r/a", value: Data("a2".utf8), expectedRevision: a1.modRevision)
            let bDeleted = try await first.delete("/r/b", expectedRevision: nil)
            let c1 = try await first.create("/r/c", value: Data("c1".utf8))
            try await first.compact(upTo: b1.modRevision)
            let current = try await first.currentRevision()
            first.close()

            let second = try SQLiteStore(directory: directory)
            defer { second.close() }
            #expect(try await second.currentRevision() == current)
            #expect(try await second.compactedRevision() == b1.modRevision)
            #expect(try await second.get("/r/a") == a2)
            #expect(try await second.get("/r/b") == nil)
            let now = try await second.list(prefix: "/r/", revision: nil, limit: nil, after: nil)
            #expect(now == ListResult(items: [a2, c1], revision: current, hasMore: false))
            let old = try await second.list(prefix: "/r/", revision: b1.modRevision, limit: nil, after: nil)
            #expect(old.items == [a1, b1])

            let history = WatchCollector(second.watch(prefix: "/r/", after: b1.modRevision - 1))
            defer { Task { await history.stop() } }
            let d1 = try await second.create("/r/d", value: Data("d1".utf8))
            #expect(d1.modRevision == current + 1)
            let events = try await history.waitForEvents(5)
            #expect(events == [
                WatchEvent(kind: .created, kv: b1, previous: nil),
                WatchEvent(kind: .updated, kv: a2, previous: a1),
                WatchEvent(kind: .deleted, kv: bDeleted, previous: b1),
                WatchEvent(kind: .created, kv: c1, previous: nil),
                WatchEvent(kind: .created, kv: d1, previous: nil),
            ])
        }
    }

    /// Every acknowledged write is in the database file (WAL) as soon as it returns: a second store opened
    /// on the same path sees them all, both while the first is still open and after it was closed without
    /// any flush. (Surviving `kill -9` of the process is tested end to end.)
    @Test func acknowledgedWritesAreVisibleToAnotherInstance() async throws {
        try await withTemporaryDirectory { directory in
            let first = try SQLiteStore(directory: directory)
            let written = try await withThrowingTaskGroup(of: [KeyValue].self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        var written: [KeyValue] = []
                        for index in 0..<50 {
                            let key = "/d/w\(writer)/\(index)"
                            written.append(try await first.create(key, value: Data("\(index)".utf8)))
                        }
                        return written
                    }
                }
                var all: [KeyValue] = []
                for try await batch in group { all += batch }
                return all.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            }
            let current = try await first.currentRevision()

            let whileOpen = try SQLiteStore(directory: directory)
            let seen = try await whileOpen.list(prefix: "/d/", revision: nil, limit: nil, after: nil)
            #expect(seen.items == written)
            #expect(seen.revision == current)
            whileOpen.close()

            first.close()
            let afterClose = try SQLiteStore(directory: directory)
            defer { afterClose.close() }
            let reread = try await afterClose.list(prefix: "/d/", revision: nil, limit: nil, after: nil)
            #expect(reread.items == written)
            #expect(try await afterClose.currentRevision() == current)
        }
    }

    @Test func closeFinishesWatchStreamsAndRefusesCalls() async throws {
        try await withTemporaryStore { store in
            try await store.create("/a", value: Data("1".utf8))
            let watcher = WatchCollector(store.watch(prefix: "/", after: 0))
            try await watcher.waitForEvents(1)
            store.close()
            #expect(try await watcher.waitForEnd() == nil)
            #expect(store.watcherCount == 0)
            await #expect(throws: StoreError.unavailable("store closed")) {
                try await store.create("/b", value: Data())
            }
            await #expect(throws: StoreError.unavailable("store closed")) {
                try await store.list(prefix: "/", revision: nil, limit: nil, after: nil)
            }
            let late = WatchCollector(store.watch(prefix: "/", after: 0))
            #expect(try await late.waitForEnd() as? StoreError == .unavailable("store closed"))
        }
    }

    @Test func consumerThatStopsIteratingIsUnregistered() async throws {
        try await withTemporaryStore { store in
            let first = WatchCollector(store.watch(prefix: "/", after: 1))
            let second = WatchCollector(store.watch(prefix: "/x/", after: 1))
            #expect(store.watcherCount == 2)
            try await store.create("/a", value: Data("1".utf8))
            try await first.waitForEvents(1)
            await first.stop()
            #expect(store.watcherCount == 1)
            await second.stop()
            #expect(store.watcherCount == 0)
        }
    }

    @Test func watchReplaysHistoryInSmallPages() async throws {
        try await withTemporaryStore(watchHistoryPageSize: 2, StoreConformance.checkWatchReplaysHistoryThenLive)
        try await withTemporaryStore(watchHistoryPageSize: 7, StoreConformance.checkConcurrentWritersAndWatchers)
        try await withTemporaryStore(watchHistoryPageSize: 1, StoreConformance.checkCompaction)
    }
}
