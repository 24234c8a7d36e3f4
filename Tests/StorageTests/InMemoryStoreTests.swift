import Foundation
import Storage
import TestSupport
import Testing

/// Behaviour of `InMemoryStore` beyond the shared contract: closing, unregistering watchers, paged replay.
@Suite struct InMemoryStoreTests {
    @Test func closeFinishesWatchStreamsAndRefusesCalls() async throws {
        let store = InMemoryStore()
        try await store.create("/a", value: Data("1".utf8))
        let watcher = WatchCollector(store.watch(prefix: "/", after: 0))
        try await watcher.waitForEvents(1)
        store.close()
        let ending = try await watcher.waitForEnd()
        #expect(ending == nil)
        #expect(store.watcherCount == 0)
        await #expect(throws: StoreError.unavailable("store closed")) {
            try await store.create("/b", value: Data())
        }
        await #expect(throws: StoreError.unavailable("store closed")) {
            try await store.get("/a")
        }
        let late = WatchCollector(store.watch(prefix: "/", after: 0))
        #expect(try await late.waitForEnd() as? StoreError == .unavailable("store closed"))
    }

    @Test func consumerThatStopsIteratingIsUnregistered() async throws {
        let store = InMemoryStore()
        let first = WatchCollector(store.watch(prefix: "/", after: 1))
        let second = WatchCollector(store.watch(prefix: "/x/", after: 1))
        #expect(store.watcherCount == 2)
        try await store.create("/a", value: Data("1".utf8))
        try await first.waitForEvents(1)
        await first.stop()
        #expect(store.watcherCount == 1)
        await second.stop()
        #expect(store.watcherCount == 0)
        try await store.create("/b", value: Data("2".utf8))
    }

    @Test func watchReplaysHistoryInSmallPages() async throws {
        try await StoreConformance.checkWatchReplaysHistoryThenLive(InMemoryStore(watchHistoryPageSize: 2))
        try await StoreConformance.checkConcurrentWritersAndWatchers(InMemoryStore(watchHistoryPageSize: 7))
        try await StoreConformance.checkCompaction(InMemoryStore(watchHistoryPageSize: 1))
    }
}
