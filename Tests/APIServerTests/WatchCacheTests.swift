import APIModel
import Foundation
import Storage
import Testing
@testable import APIServer

/// The watch cache driven by direct store writes: what a watcher sees and when.
@Suite("Watch cache")
struct WatchCacheTests {
    static let bucket = "/registry/configmaps/"

    static func key(_ name: String, namespace: String = "default") -> String {
        "/registry/configmaps/\(namespace)/\(name)"
    }

    /// A stored ConfigMap as Skiff's encoder writes it (no resourceVersion).
    static func stored(_ name: String, labels: [String: String] = [:], value: String = "v",
                       namespace: String = "default") -> Data {
        Data(TestAPI.configMap(name, labels: labels, data: ["k": value], namespace: namespace).utf8)
    }

    static func filter(labels: String = "", namespace: String = "default") throws -> ObjectFilter {
        ObjectFilter(bucket: bucket, prefix: bucket + namespace + "/", labels: try LabelMatcher.parse(labels))
    }

    static func describe(_ event: CacheEvent) -> String {
        "\(event.kind.rawValue) \(event.object.summary.name)@\(event.revision)"
    }

    @Test("Without a revision a watch starts from the current objects, then sees every change live")
    func initialThenLive() async throws {
        try await TestAPI.with { api async throws in
            let store = api.store
            try await store.create(Self.key("b"), value: Self.stored("b"))
            try await store.create(Self.key("a"), value: Self.stored("a"))
            try await store.create(Self.key("other", namespace: "kube-system"), value: Self.stored("other", namespace: "kube-system"))
            try await api.cache.waitUntilFresh()

            let watch = try api.cache.watch(try Self.filter(), after: nil)
            let (events, pump) = Inbox.pumping(watch.events)
            defer { pump.cancel(); watch.cancel() }
            #expect(watch.initial.map(\.summary.name) == ["a", "b"])
            #expect(watch.revision == (try await store.currentRevision()))
            // The cached encoding carries the object's resourceVersion.
            let a = try JSONValue(parsing: try #require(watch.initial.first).data)
            #expect(a.resourceVersion == String(try #require(try await store.get(Self.key("a"))).modRevision))

            let created = try await store.create(Self.key("c"), value: Self.stored("c"))
            let updated = try await store.update(Self.key("a"), value: Self.stored("a", value: "2"), expectedRevision: nil)
            try await store.create(Self.key("elsewhere", namespace: "kube-public"),
                                   value: Self.stored("elsewhere", namespace: "kube-public"))
            let deleted = try await store.delete(Self.key("b"), expectedRevision: nil)

            let seen = try await events.next(3)
            #expect(seen.map(Self.describe) == [
                "ADDED c@\(created.modRevision)", "MODIFIED a@\(updated.modRevision)", "DELETED b@\(deleted.modRevision)",
            ])
            // A deletion carries the object's last state, stamped with the deletion's revision.
            let last = try JSONValue(parsing: seen[2].object.data)
            #expect(last.resourceVersion == String(deleted.modRevision))
            #expect(last["data"]?["k"] == .string("v"))
            #expect(seen[1].previous?.revision == (try #require(watch.initial.first).revision))
        }
    }

    @Test("A watch from a revision replays exactly the later events, then continues live")
    func resumeReplaysLaterEvents() async throws {
        try await TestAPI.with { api async throws in
            let store = api.store
            try await store.create(Self.key("a"), value: Self.stored("a"))
            let resumeFrom = try await store.update(Self.key("a"), value: Self.stored("a", value: "1"), expectedRevision: nil)
            let r3 = try await store.create(Self.key("b"), value: Self.stored("b"))
            let r4 = try await store.delete(Self.key("a"), expectedRevision: nil)
            let r5 = try await store.update(Self.key("b"), value: Self.stored("b", value: "2"), expectedRevision: nil)
            try await api.cache.waitUntilFresh()

            let watch = try api.cache.watch(try Self.filter(), after: resumeFrom.modRevision)
            let (events, pump) = Inbox.pumping(watch.events)
            defer { pump.cancel(); watch.cancel() }
            #expect(watch.initial.isEmpty)
            let replayed = try await events.next(3)
            #expect(replayed.map(Self.describe) == [
                "ADDED b@\(r3.modRevision)", "DELETED a@\(r4.modRevision)", "MODIFIED b@\(r5.modRevision)",
            ])
            // Nothing else was queued: the next event is the next write.
            let r6 = try await store.create(Self.key("c"), value: Self.stored("c"))
            #expect(try await events.next().map(Self.describe) == "ADDED c@\(r6.modRevision)")
        }
    }

    @Test("A watch from a revision the cache has not reached yet gets only the events after it")
    func resumeAheadOfCache() async throws {
        // The cache is fed by hand here to hold it behind the store, as it is for a moment after every write: a
        // client that watches from the resourceVersion of the object it just wrote must not see that write again.
        try await TestAPI.with(runCache: false, namespaceCleaner: false) { api async throws in
            func event(_ name: String, _ revision: Revision) -> WatchEvent {
                WatchEvent(kind: .created, kv: KeyValue(key: Self.key(name), value: Self.stored(name),
                                                        createRevision: revision, modRevision: revision), previous: nil)
            }
            api.cache.apply(event("a", 10))
            let watch = try api.cache.watch(try Self.filter(), after: 12)
            let (events, pump) = Inbox.pumping(watch.events)
            defer { pump.cancel(); watch.cancel() }
            api.cache.apply(event("b", 11))
            api.cache.apply(event("c", 12))
            api.cache.apply(event("d", 13))
            let first = try await events.next()
            #expect(first.map(Self.describe) == "ADDED d@13")
        }
    }

    @Test("A watch from the current revision replays nothing and gets the next write")
    func resumeFromNow() async throws {
        try await TestAPI.with { api async throws in
            try await api.store.create(Self.key("a"), value: Self.stored("a"))
            try await api.cache.waitUntilFresh()
            let watch = try api.cache.watch(try Self.filter(), after: api.cache.revision)
            let (events, pump) = Inbox.pumping(watch.events)
            defer { pump.cancel(); watch.cancel() }
            #expect(watch.initial.isEmpty)
            let next = try await api.store.update(Self.key("a"), value: Self.stored("a", value: "x"), expectedRevision: nil)
            #expect(try await events.next().map(Self.describe) == "MODIFIED a@\(next.modRevision)")
        }
    }

    @Test("A revision older than the event window is 410 Expired; the oldest one still in it replays")
    func tooOldRevisionExpires() async throws {
        try await TestAPI.with(historyCapacity: 4) { api async throws in
            var revisions: [Revision] = []
            for i in 0..<6 {
                revisions.append(try await api.store.create(Self.key("cm-\(i)"), value: Self.stored("cm-\(i)")).modRevision)
            }
            try await api.cache.waitUntilFresh()
            // The window holds the last 4 events (revisions[2...5]): a watch after revisions[1] is complete.
            let oldest = try api.cache.watch(try Self.filter(), after: revisions[1])
            let (events, pump) = Inbox.pumping(oldest.events)
            defer { pump.cancel(); oldest.cancel() }
            #expect(try await events.next(4).map(\.revision) == Array(revisions[2...5]))

            let filter = try Self.filter()
            let error = #expect(throws: APIError.self) { _ = try api.cache.watch(filter, after: revisions[0]) }
            #expect(error?.code == 410)
            #expect(error?.reason == "Expired")
            #expect(error?.message.hasPrefix("too old resource version: \(revisions[0])") == true)
        }
    }

    @Test("The event window is bounded in bytes too: big objects push the oldest events out sooner")
    func windowByteBudget() async throws {
        // Room for about three events of ~2 KiB overhead plus data.
        try await TestAPI.with(historyCapacity: 1_000, historyByteBudget: 3 * (WatchCache.eventOverhead + 400)) { api async throws in
            var revisions: [Revision] = []
            for i in 0..<6 {
                revisions.append(try await api.store.create(Self.key("cm-\(i)"), value: Self.stored("cm-\(i)")).modRevision)
            }
            try await api.cache.waitUntilFresh()
            let filter = try Self.filter()
            let error = #expect(throws: APIError.self) { _ = try api.cache.watch(filter, after: revisions[1]) }
            #expect(error?.code == 410)
            // The newest events are still there.
            let recent = try api.cache.watch(filter, after: revisions[4])
            let (events, pump) = Inbox.pumping(recent.events)
            defer { pump.cancel(); recent.cancel() }
            #expect(try await events.next(1).map(\.revision) == [revisions[5]])
        }
    }

    @Test("With a label selector, an object that starts matching is ADDED and one that stops matching is DELETED")
    func labelSelectorTransitions() async throws {
        try await TestAPI.with { api async throws in
            let store = api.store
            let watch = try api.cache.watch(try Self.filter(labels: "app=web"), after: nil)
            let (events, pump) = Inbox.pumping(watch.events)
            defer { pump.cancel(); watch.cancel() }

            try await store.create(Self.key("x"), value: Self.stored("x"))
            let enters = try await store.update(Self.key("x"), value: Self.stored("x", labels: ["app": "web"]), expectedRevision: nil)
            let changes = try await store.update(Self.key("x"), value: Self.stored("x", labels: ["app": "web"], value: "2"),
                                                 expectedRevision: nil)
            let leaves = try await store.update(Self.key("x"), value: Self.stored("x", labels: ["app": "db"]), expectedRevision: nil)
            try await store.update(Self.key("x"), value: Self.stored("x", labels: ["app": "db"], value: "3"), expectedRevision: nil)
            try await store.delete(Self.key("x"), expectedRevision: nil)
            let marker = try await store.create(Self.key("y"), value: Self.stored("y", labels: ["app": "web"]))

            let seen = try await events.next(4)
            #expect(seen.map(Self.describe) == [
                "ADDED x@\(enters.modRevision)", "MODIFIED x@\(changes.modRevision)", "DELETED x@\(leaves.modRevision)",
                "ADDED y@\(marker.modRevision)",
            ])
            // Kubernetes' watch cache sends the previous (still matching) content with a selection-leave DELETED,
            // stamped with the event's revision.
            let left = try JSONValue(parsing: seen[2].object.data)
            #expect(left.resourceVersion == String(leaves.modRevision))
            #expect(left["metadata"]?["labels"]?["app"] == .string("web"))
        }
    }

    @Test("A watcher that never reads is closed once over its backlog; the others continue",
          .timeLimit(.minutes(2)))
    func slowWatcherIsClosed() async throws {
        // The backlog is a constant (`WatchCache.watcherBacklog`, 10 000), so this writes one more event than that.
        try await TestAPI.with { api async throws in
            let store = api.store
            let backlog = WatchCache.watcherBacklog
            let slow = try api.cache.watch(try Self.filter(), after: nil)
            let fast = try api.cache.watch(try Self.filter(), after: nil)
            let (fastEvents, pump) = Inbox.pumping(fast.events)
            defer { pump.cancel(); fast.cancel(); slow.cancel() }
            let watchers = api.cache.watcherCount

            var written = 0
            while written < backlog + 1 {
                let batch = min(1_000, backlog + 1 - written)
                for i in written..<(written + batch) {
                    try await store.create(Self.key("cm-\(i)"), value: Self.stored("cm-\(i)"))
                }
                written += batch
                // The fast watcher keeps up: it has every event so far.
                let last = try #require(try await fastEvents.next(batch).last)
                #expect(last.object.summary.name == "cm-\(written - 1)")
            }
            #expect(api.cache.watcherCount == watchers - 1)

            // The slow watcher's stream holds the first `backlog` events, then ends.
            var queued = 0
            var lastName = ""
            for await event in slow.events {
                queued += 1
                lastName = event.object.summary.name
            }
            #expect(queued == backlog)
            #expect(lastName == "cm-\(backlog - 1)")

            let after = try await store.create(Self.key("after"), value: Self.stored("after"))
            #expect(try await fastEvents.next().map(Self.describe) == "ADDED after@\(after.modRevision)")
        }
    }

    @Test("waitUntilFresh returns once the cache holds a write made directly to the store")
    func waitUntilFreshSeesDirectWrites() async throws {
        try await TestAPI.with { api async throws in
            try await api.cache.waitUntilFresh()
            let kv = try await api.store.create(Self.key("fresh"), value: Self.stored("fresh"))
            try await api.cache.waitUntilFresh()
            #expect(api.cache.revision >= kv.modRevision)
            let cached = try #require(api.cache.get(Self.key("fresh"), bucket: Self.bucket))
            #expect(cached.revision == kv.modRevision)
            #expect(try JSONValue(parsing: cached.data).resourceVersion == String(kv.modRevision))

            let updated = try await api.store.update(Self.key("fresh"), value: Self.stored("fresh", value: "new"),
                                                     expectedRevision: kv.modRevision)
            try await api.cache.waitUntilFresh()
            #expect(api.cache.get(Self.key("fresh"), bucket: Self.bucket)?.revision == updated.modRevision)

            // A read through the API right after a direct write sees it too.
            let deleted = try await api.store.delete(Self.key("fresh"), expectedRevision: nil)
            let response = try await api.get("/api/v1/namespaces/default/configmaps")
            #expect(response.status == 200)
            #expect(try response.json().itemNames.isEmpty)
            #expect(try response.json().resourceVersion.flatMap { Int64($0) } ?? 0 >= deleted.modRevision)
        }
    }

    @Test("A cache that has not loaded yet is not ready, and /readyz says so")
    func notReadyBeforeLoad() async throws {
        try await TestAPI.with(runCache: false, namespaceCleaner: false) { api async throws in
            #expect(!api.cache.isReady)
            let response = try await api.send(.get, "/readyz", token: nil)
            #expect(response.status == 500)
            #expect(response.text.contains("readyz check failed"))
        }
    }
}

/// Watches over HTTP: the JSON-lines stream a client reads.
@Suite("Watch requests")
struct WatchRequestTests {
    static let configMaps = "/api/v1/namespaces/default/configmaps"

    @Test("watch=true without a resourceVersion: ADDED for what exists, then ADDED, MODIFIED, DELETED live")
    func watchFromNow() async throws {
        try await TestAPI.with { api async throws in
            try await api.create(Self.configMaps, TestAPI.configMap("a"))
            let watch = try await api.watch(Self.configMaps + "?watch=true")
            #expect(watch.status == 200)
            #expect(try await watch.nextEvent() == ("ADDED", "a"))

            let b = try await api.create(Self.configMaps, TestAPI.configMap("b"))
            let added = try #require(try await watch.next())
            #expect(added["type"] == .string("ADDED"))
            #expect(added["object"]?.resourceVersion == b.resourceVersion)
            #expect(added["object"]?["kind"] == .string("ConfigMap"))

            #expect(try await api.patch(Self.configMaps + "/b", #"{"data":{"k":"2"}}"#).status == 200)
            let modified = try #require(try await watch.next())
            #expect(modified["type"] == .string("MODIFIED"))
            #expect(modified["object"]?["data"]?["k"] == .string("2"))

            #expect(try await api.delete(Self.configMaps + "/a").status == 200)
            #expect(try await watch.nextEvent() == ("DELETED", "a"))
            await watch.close()
        }
    }

    @Test("watch=true&resourceVersion=N streams only the changes after N")
    func watchFromRevision() async throws {
        try await TestAPI.with { api async throws in
            let a = try await api.create(Self.configMaps, TestAPI.configMap("a"))
            try await api.create(Self.configMaps, TestAPI.configMap("b"))
            let rv = try #require(a.resourceVersion)
            try await api.cache.waitUntilFresh()
            let watch = try await api.watch(Self.configMaps + "?watch=true&resourceVersion=\(rv)")
            #expect(try await watch.nextEvent() == ("ADDED", "b"))
            try await api.create(Self.configMaps, TestAPI.configMap("c"))
            #expect(try await watch.nextEvent() == ("ADDED", "c"))
            await watch.close()
        }
    }

    @Test("A too old resourceVersion gets one ERROR event with a 410 Expired Status, then the stream ends")
    func watchTooOld() async throws {
        try await TestAPI.with(historyCapacity: 2) { api async throws in
            let first = try await api.create(Self.configMaps, TestAPI.configMap("cm-0"))
            for i in 1..<4 { try await api.create(Self.configMaps, TestAPI.configMap("cm-\(i)")) }
            try await api.cache.waitUntilFresh()
            let rv = try #require(first.resourceVersion)
            let watch = try await api.watch(Self.configMaps + "?watch=true&resourceVersion=\(rv)")
            #expect(watch.status == 200)
            let frame = try #require(try await watch.next())
            #expect(frame["type"] == .string("ERROR"))
            #expect(frame["object"]?["kind"] == .string("Status"))
            #expect(frame["object"]?["code"] == .int(410))
            #expect(frame["object"]?["reason"] == .string("Expired"))
            #expect(try await watch.next() == nil)
        }
    }

    @Test("Field and label selectors narrow a watch")
    func watchSelectors() async throws {
        try await TestAPI.with { api async throws in
            let byName = try await api.watch(Self.configMaps + "?watch=true&fieldSelector=metadata.name%3Dwanted")
            let byLabel = try await api.watch(Self.configMaps + "?watch=true&labelSelector=app%3Dweb")
            try await api.create(Self.configMaps, TestAPI.configMap("unwanted"))
            try await api.create(Self.configMaps, TestAPI.configMap("labelled", labels: ["app": "web"]))
            try await api.create(Self.configMaps, TestAPI.configMap("wanted"))
            #expect(try await byName.nextEvent() == ("ADDED", "wanted"))
            #expect(try await byLabel.nextEvent() == ("ADDED", "labelled"))
            await byName.close()
            await byLabel.close()
        }
    }

    @Test("allowWatchBookmarks brings BOOKMARK frames with the current resourceVersion; without it none come")
    func bookmarks() async throws {
        try await TestAPI.with { api async throws in
            let created = try await api.create(Self.configMaps, TestAPI.configMap("marked"))
            let revision = try #require(Int64(created.resourceVersion ?? ""))
            let watch = try await api.watch(Self.configMaps + "?watch=true&allowWatchBookmarks=true&resourceVersion=\(revision)")
            let frame = try #require(try await watch.next(timeout: .seconds(10)))
            #expect(frame["type"] == .string("BOOKMARK"))
            #expect(frame["object"]?["kind"] == .string("ConfigMap"))
            let bookmarked = try #require(Int64(frame["object"]?["metadata"]?["resourceVersion"]?.stringValue ?? ""))
            #expect(bookmarked >= revision)
            await watch.close()

            let plain = try await api.watch(Self.configMaps + "?watch=true&timeoutSeconds=1&resourceVersion=\(revision)")
            #expect(try await plain.next(timeout: .seconds(10)) == nil)
        }
    }

    @Test("timeoutSeconds ends the stream cleanly")
    func watchTimeout() async throws {
        try await TestAPI.with { api async throws in
            let watch = try await api.watch(Self.configMaps + "?watch=true&timeoutSeconds=1")
            #expect(try await watch.next(timeout: .seconds(10)) == nil)
        }
    }

    @Test("A client that goes away unregisters its watcher")
    func closedWatchUnregisters() async throws {
        try await TestAPI.with { api async throws in
            try await api.cache.waitUntilFresh()
            let before = api.cache.watcherCount
            let watch = try await api.watch(Self.configMaps + "?watch=true")
            #expect(api.cache.watcherCount == before + 1)
            await watch.close()
            #expect(api.cache.watcherCount == before)
        }
    }

    @Test("A non-numeric resourceVersion is 400")
    func watchBadRevision() async throws {
        try await TestAPI.with { api async throws in
            let response = try await api.get(Self.configMaps + "?watch=true&resourceVersion=abc")
            #expect(response.status == 400)
            #expect(try response.json()["kind"] == .string("Status"))
        }
    }
}
