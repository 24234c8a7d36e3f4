import Foundation
import Storage
import StorageSQLite
import TestSupport
import Testing

/// The store conformance suite against `SQLiteStore`, one test per check, each on a new database.
@Suite struct SQLiteStoreConformanceTests {
    @Test func revisionsStartAtOneAndIncrementByOne() async throws {
        try await withTemporaryStore(StoreConformance.checkRevisionsStartAtOneAndIncrementByOne)
    }

    @Test func get() async throws {
        try await withTemporaryStore(StoreConformance.checkGet)
    }

    @Test func valuesRoundTrip() async throws {
        try await withTemporaryStore(StoreConformance.checkValuesRoundTrip)
    }

    @Test func createConflict() async throws {
        try await withTemporaryStore(StoreConformance.checkCreateConflict)
    }

    @Test func update() async throws {
        try await withTemporaryStore(StoreConformance.checkUpdate)
    }

    @Test func delete() async throws {
        try await withTemporaryStore(StoreConformance.checkDelete)
    }

    @Test func notFound() async throws {
        try await withTemporaryStore(StoreConformance.checkNotFound)
    }

    @Test func listByPrefix() async throws {
        try await withTemporaryStore(StoreConformance.checkListByPrefix)
    }

    @Test func listAtOldRevision() async throws {
        try await withTemporaryStore(StoreConformance.checkListAtOldRevision)
    }

    @Test func futureRevision() async throws {
        try await withTemporaryStore(StoreConformance.checkFutureRevision)
    }

    @Test func paginationAtFixedRevision() async throws {
        try await withTemporaryStore(StoreConformance.checkPaginationAtFixedRevision)
    }

    @Test func watchReplaysHistoryThenLive() async throws {
        try await withTemporaryStore(StoreConformance.checkWatchReplaysHistoryThenLive)
    }

    @Test func watchFiltersByPrefix() async throws {
        try await withTemporaryStore(StoreConformance.checkWatchFiltersByPrefix)
    }

    @Test func concurrentWritersAndWatchers() async throws {
        try await withTemporaryStore(StoreConformance.checkConcurrentWritersAndWatchers)
    }

    @Test func concurrentConflictingWrites() async throws {
        try await withTemporaryStore(StoreConformance.checkConcurrentConflictingWrites)
    }

    @Test func compaction() async throws {
        try await withTemporaryStore(StoreConformance.checkCompaction)
    }
}
