import Foundation
import Storage
import StorageEtcd
import TestSupport
import Testing

/// The store conformance suite against `EtcdStore`, one test per check, each on a new etcd (revisions
/// start at 1). Serialized: each check runs its own etcd, and the machine may have few cores.
@Suite(.serialized) struct EtcdStoreConformanceTests {
    @Test func revisionsStartAtOneAndIncrementByOne() async throws {
        try await withEtcdStore(StoreConformance.checkRevisionsStartAtOneAndIncrementByOne)
    }

    @Test func get() async throws {
        try await withEtcdStore(StoreConformance.checkGet)
    }

    @Test func valuesRoundTrip() async throws {
        try await withEtcdStore(StoreConformance.checkValuesRoundTrip)
    }

    @Test func createConflict() async throws {
        try await withEtcdStore(StoreConformance.checkCreateConflict)
    }

    @Test func update() async throws {
        try await withEtcdStore(StoreConformance.checkUpdate)
    }

    @Test func delete() async throws {
        try await withEtcdStore(StoreConformance.checkDelete)
    }

    @Test func notFound() async throws {
        try await withEtcdStore(StoreConformance.checkNotFound)
    }

    @Test func listByPrefix() async throws {
        try await withEtcdStore(StoreConformance.checkListByPrefix)
    }

    @Test func listAtOldRevision() async throws {
        try await withEtcdStore(StoreConformance.checkListAtOldRevision)
    }

    @Test func futureRevision() async throws {
        try await withEtcdStore(StoreConformance.checkFutureRevision)
    }

    @Test func paginationAtFixedRevision() async throws {
        try await withEtcdStore(StoreConformance.checkPaginationAtFixedRevision)
    }

    @Test func watchReplaysHistoryThenLive() async throws {
        try await withEtcdStore(StoreConformance.checkWatchReplaysHistoryThenLive)
    }

    @Test func watchFiltersByPrefix() async throws {
        try await withEtcdStore(StoreConformance.checkWatchFiltersByPrefix)
    }

    @Test func concurrentWritersAndWatchers() async throws {
        try await withEtcdStore(StoreConformance.checkConcurrentWritersAndWatchers)
    }

    @Test func concurrentConflictingWrites() async throws {
        try await withEtcdStore(StoreConformance.checkConcurrentConflictingWrites)
    }

    @Test func compaction() async throws {
        try await withEtcdStore(StoreConformance.checkCompaction)
    }
}
