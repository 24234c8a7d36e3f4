import Storage
import TestSupport
import Testing

/// The store conformance suite against `InMemoryStore`, one test per check.
@Suite struct InMemoryStoreConformanceTests {
    @Test func revisionsStartAtOneAndIncrementByOne() async throws {
        try await StoreConformance.checkRevisionsStartAtOneAndIncrementByOne(InMemoryStore())
    }

    @Test func get() async throws {
        try await StoreConformance.checkGet(InMemoryStore())
    }

    @Test func valuesRoundTrip() async throws {
        try await StoreConformance.checkValuesRoundTrip(InMemoryStore())
    }

    @Test func createConflict() async throws {
        try await StoreConformance.checkCreateConflict(InMemoryStore())
    }

    @Test func update() async throws {
        try await StoreConformance.checkUpdate(InMemoryStore())
    }

    @Test func delete() async throws {
        try await StoreConformance.checkDelete(InMemoryStore())
    }

    @Test func notFound() async throws {
        try await StoreConformance.checkNotFound(InMemoryStore())
    }

    @Test func listByPrefix() async throws {
        try await StoreConformance.checkListByPrefix(InMemoryStore())
    }

    @Test func listAtOldRevision() async throws {
        try await StoreConformance.checkListAtOldRevision(InMemoryStore())
    }

    @Test func futureRevision() async throws {
        try await StoreConformance.checkFutureRevision(InMemoryStore())
    }

    @Test func paginationAtFixedRevision() async throws {
        try await StoreConformance.checkPaginationAtFixedRevision(InMemoryStore())
    }

    @Test func watchReplaysHistoryThenLive() async throws {
        try await StoreConformance.checkWatchReplaysHistoryThenLive(InMemoryStore())
    }

    @Test func watchFiltersByPrefix() async throws {
        try await StoreConformance.checkWatchFiltersByPrefix(InMemoryStore())
    }

    @Test func concurrentWritersAndWatchers() async throws {
        try await StoreConformance.checkConcurrentWritersAndWatchers(InMemoryStore())
    }

    @Test func concurrentConflictingWrites() async throws {
        try await StoreConformance.checkConcurrentConflictingWrites(InMemoryStore())
    }

    @Test func compaction() async throws {
        try await StoreConformance.checkCompaction(InMemoryStore())
    }

    @Test func runAllPassesEveryCheck() async throws {
        try await StoreConformance.runAll(makeStore: { InMemoryStore() }, cleanup: { ($0 as? InMemoryStore)?.close() })
    }
}
