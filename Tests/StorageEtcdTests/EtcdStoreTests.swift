import Foundation
import Storage
@testable import StorageEtcd
import TestSupport
import Testing

/// `EtcdStore` beyond the shared contract: etcd restarts, several endpoints, error mapping, closing.
@Suite(.serialized) struct EtcdStoreTests {
    /// A watch whose stream breaks when etcd stops reconnects once etcd is back and resumes after the last
    /// event it delivered: every event is seen exactly once, in order.
    @Test func watchSurvivesEtcdRestart() async throws {
        try await withEtcdServer { server in
            let store = try EtcdStore(endpoints: [server.endpoint])
            defer { store.close() }
            let watcher = WatchCollector(store.watch(prefix: "/restart/", after: 1))
            defer { Task { await watcher.stop() } }
            var expected: [WatchEvent] = []
            for index in 0..<5 {
                let kv = try await store.create("/restart/k\(index)", value: Data("before \(index)".utf8))
                expected.append(WatchEvent(kind: .created, kv: kv, previous: nil))
            }
            try await store.create("/other/x", value: Data("x".utf8))
            #expect(try await watcher.waitForRevision(expected.last!.revision) == expected)

            await server.stop()
            try await server.start()
            // A read first: it is repeated until this store's connection is back (a write is not).
            _ = try await store.currentRevision()
            for index in 0..<5 {
                let key = "/restart/k\(index)"
                let previous = expected[index].kv
                let kv = try await store.update(key, value: Data("after \(index)".utf8),
                                                expectedRevision: previous.modRevision)
                expected.append(WatchEvent(kind: .updated, kv: kv, previous: previous))
            }
            let deleted = try await store.delete("/restart/k0", expectedRevision: nil)
            expected.append(WatchEvent(kind: .deleted, kv: deleted, previous: expected[5].kv))
            #expect(try await watcher.waitForRevision(deleted.modRevision) == expected)
            // Nothing more arrives: the next event is the next write.
            let last = try await store.create("/restart/end", value: Data())
            expected.append(WatchEvent(kind: .created, kv: last, previous: nil))
            #expect(try await watcher.waitForRevision(last.modRevision) == expected)
        }
    }

    /// Progress notifications move a quiet watch's resume point: reopened after a restart, it starts there,
    /// so history compacted below that point (which it does not need) does not end it.
    @Test func progressNotificationsAdvanceTheResumePoint() async throws {
        try await withEtcdServer(extraArguments: ["--experimental-watch-progress-notify-interval", "50ms"]) { server in
            let store = try EtcdStore(endpoints: [server.endpoint])
            defer { store.close() }
            let watcher = WatchCollector(store.watch(prefix: "/quiet/", after: 1))
            defer { Task { await watcher.stop() } }
            for index in 0..<5 { try await store.create("/busy/\(index)", value: Data()) }
            let current = try await store.currentRevision()
            try await eventually("a progress notification at revision \(current)") {
                store.watches.deliveredRevisions == [current]
            }
            // A live watch is not affected by compaction; a watch resumed from revision 2 would be.
            try await store.compact(upTo: current)
            await server.stop()
            try await server.start()
            _ = try await store.currentRevision()
            let created = try await store.create("/quiet/a", value: Data("a".utf8))
            #expect(try await watcher.waitForRevision(created.modRevision) == [
                WatchEvent(kind: .created, kv: created, previous: nil),
            ])
        }
    }

    /// With a dead first endpoint, calls and watches go to the second.
    @Test func deadFirstEndpointIsSkipped() async throws {
        try await withEtcdServer { server in
            let dead = EtcdEndpoint(host: "127.0.0.1", port: try freeLoopbackPort())
            let store = try EtcdStore(endpoints: [dead, server.endpoint])
            defer { store.close() }
            let watcher = WatchCollector(store.watch(prefix: "/two/", after: 1))
            defer { Task { await watcher.stop() } }
            let created = try await store.create("/two/a", value: Data("a".utf8))
            #expect(try await store.get("/two/a") == created)
            let updated = try await store.update("/two/a", value: Data("b".utf8), expectedRevision: created.modRevision)
            #expect(try await store.list(prefix: "/two/", revision: nil, limit: nil, after: nil).items == [updated])
            #expect(try await watcher.waitForRevision(updated.modRevision) == [
                WatchEvent(kind: .created, kv: created, previous: nil),
                WatchEvent(kind: .updated, kv: updated, previous: created),
            ])
        }
    }

    /// In a three-member cluster, when the member in use stops, calls move on to the next endpoint and the
    /// watch resumes there: every event exactly once, in order.
    @Test func failoverToAnotherMemberOfTheCluster() async throws {
        try await withEtcdCluster(size: 3) { members in
            let store = try EtcdStore(endpoints: members.map(\.endpoint))
            defer { store.close() }
            let watcher = WatchCollector(store.watch(prefix: "/ha/", after: 1))
            defer { Task { await watcher.stop() } }
            var expected: [WatchEvent] = []
            for index in 0..<3 {
                let kv = try await store.create("/ha/before\(index)", value: Data("\(index)".utf8))
                expected.append(WatchEvent(kind: .created, kv: kv, previous: nil))
            }
            #expect(try await watcher.waitForRevision(expected.last!.revision) == expected)

            await members[0].stop()
            // A read first: it moves on to a live member (and waits out an election if the leader stopped).
            _ = try await store.currentRevision()
            for index in 0..<3 {
                let kv = try await store.create("/ha/after\(index)", value: Data("\(index)".utf8))
                expected.append(WatchEvent(kind: .created, kv: kv, previous: nil))
            }
            #expect(try await watcher.waitForRevision(expected.last!.revision) == expected)
            #expect(try await store.list(prefix: "/ha/", revision: nil, limit: nil, after: nil).items.count == 6)
        }
    }

    /// etcd's server sends a PING for about every request; the connection must outlast many requests (it
    /// was closed every ~200 before `HTTP2PingResponder`, failing the writes in flight).
    @Test func connectionOutlastsManyRequests() async throws {
        try await withEtcdStore { store in
            for index in 0..<600 {
                try await store.create("/many/\(index)", value: Data())
            }
            #expect(try await store.currentRevision() == 601)
        }
    }

    /// Failed guards map to the store's errors and write nothing (etcd transactions, not read-then-write).
    @Test func conflictErrorMapping() async throws {
        try await withEtcdStore { store in
            let first = try await store.create("/c/a", value: Data("1".utf8))
            await #expect(throws: StoreError.alreadyExists(key: "/c/a")) {
                try await store.create("/c/a", value: Data("2".utf8))
            }
            let second = try await store.update("/c/a", value: Data("2".utf8), expectedRevision: first.modRevision)
            await #expect(throws: StoreError.conflict(current: second)) {
                try await store.update("/c/a", value: Data("3".utf8), expectedRevision: first.modRevision)
            }
            await #expect(throws: StoreError.conflict(current: second)) {
                try await store.delete("/c/a", expectedRevision: first.modRevision)
            }
            // A missing key's mod revision is 0 in etcd: an expected revision of 0 must not create it.
            await #expect(throws: StoreError.notFound(key: "/c/missing")) {
                try await store.update("/c/missing", value: Data(), expectedRevision: 0)
            }
            await #expect(throws: StoreError.notFound(key: "/c/missing")) {
                try await store.delete("/c/missing", expectedRevision: 0)
            }
            #expect(try await store.currentRevision() == second.modRevision)
            #expect(try await store.get("/c/missing") == nil)
        }
    }

    /// Values over etcd's request limit (1.5 MiB by default) fail as `.unavailable`, write nothing, and
    /// leave the store working.
    @Test func oversizedValuesAreRefused() async throws {
        try await withEtcdStore { store in
            for size in [(3 << 20) / 2 + 1024, 3 << 20] {
                await #expect {
                    try await store.create("/big/\(size)", value: Data(repeating: 7, count: size))
                } throws: { error in
                    guard case .unavailable(let message) = error as? StoreError else { return false }
                    return message.contains("too large")
                }
            }
            #expect(try await store.currentRevision() == 1)
            let small = try await store.create("/big/small", value: Data(repeating: 7, count: 1 << 20))
            #expect(small.modRevision == 2)
        }
    }

    /// With no endpoint reachable, calls keep trying for `retryTimeout`, then fail `.unavailable`; a cancelled
    /// call reports `.unavailable("cancelled")`.
    @Test func unreachableEtcdAndCancelledCalls() async throws {
        var configuration = EtcdStore.Configuration()
        configuration.retryTimeout = .milliseconds(300)
        let dead = EtcdEndpoint(host: "127.0.0.1", port: try freeLoopbackPort())
        let store = try EtcdStore(endpoints: [dead], configuration: configuration)
        defer { store.close() }
        await #expect {
            try await store.create("/a", value: Data())
        } throws: { error in
            guard case .unavailable(let message) = error as? StoreError else { return false }
            return message.hasPrefix("etcd: unavailable")
        }

        configuration.retryTimeout = .seconds(60)
        let patient = try EtcdStore(endpoints: [dead], configuration: configuration)
        defer { patient.close() }
        let read = Task { try await patient.get("/a") }
        read.cancel()
        await #expect(throws: StoreError.unavailable("cancelled")) { try await read.value }
    }

    /// `close()` finishes watches normally and refuses later calls and watches.
    @Test func closeFinishesWatchesAndRefusesCalls() async throws {
        try await withEtcdStore { store in
            let watcher = WatchCollector(store.watch(prefix: "/", after: 0))
            try await store.create("/a", value: Data("1".utf8))
            try await watcher.waitForEvents(1)
            #expect(store.watcherCount == 1)
            store.close()
            #expect(try await watcher.waitForEnd() == nil)
            #expect(store.watcherCount == 0)
            await #expect(throws: StoreError.unavailable("store closed")) {
                try await store.create("/b", value: Data())
            }
            let late = WatchCollector(store.watch(prefix: "/", after: 0))
            #expect(try await late.waitForEnd() as? StoreError == .unavailable("store closed"))
        }
    }

    /// A consumer that stops iterating ends its watch.
    @Test func stoppedConsumerEndsItsWatch() async throws {
        try await withEtcdStore { store in
            let watcher = WatchCollector(store.watch(prefix: "/", after: 1))
            #expect(store.watcherCount == 1)
            await watcher.stop()
            #expect(store.watcherCount == 0)
        }
    }
}
