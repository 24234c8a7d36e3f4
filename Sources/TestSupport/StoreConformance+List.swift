import Foundation
import Storage

extension StoreConformance {
    /// `list` returns exactly the keys with the prefix (byte-wise, so "/a/" does not match "/a2/"), in
    /// ascending byte order, at the current revision when none is given.
    @Sendable public static func checkListByPrefix(_ store: any KeyValueStore) async throws {
        let keys = [
            "/registry/pods/default2/c", "/registry/pods/default/b", "/registry/pods/default",
            "/registry/pods/default/a/sub", "/registry/pods/defaul", "/registry/pods/default/a",
            "/registry/pods/default/gone", "/registry/services/default/a",
        ]
        var stored: [String: KeyValue] = [:]
        for key in keys { stored[key] = try await store.create(key, value: bytes("value of \(key)")) }
        try await store.delete("/registry/pods/default/gone", expectedRevision: nil)
        stored["/registry/pods/default/gone"] = nil
        let current = try await store.currentRevision()

        func expectList(_ prefix: String, _ expectedKeys: [String]) async throws {
            let result = try await store.list(prefix: prefix, revision: nil, limit: nil, after: nil)
            try expectEqual(result.items.map(\.key), expectedKeys, "keys listed under \"\(prefix)\"")
            try expectEqual(result.items, expectedKeys.map { stored[$0]! }, "items listed under \"\(prefix)\"")
            try expectEqual(result.revision, current, "revision of the list of \"\(prefix)\"")
            try expect(!result.hasMore, "hasMore of an unlimited list of \"\(prefix)\"")
        }
        try await expectList("/registry/pods/default/", [
            "/registry/pods/default/a", "/registry/pods/default/a/sub", "/registry/pods/default/b",
        ])
        try await expectList("/registry/pods/default2/", ["/registry/pods/default2/c"])
        try await expectList("/registry/pods/", [
            "/registry/pods/defaul", "/registry/pods/default", "/registry/pods/default/a",
            "/registry/pods/default/a/sub", "/registry/pods/default/b", "/registry/pods/default2/c",
        ])
        try await expectList("", stored.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        try await expectList("/registry/pods/default/a/sub", ["/registry/pods/default/a/sub"])
        try await expectList("/registry/nodes/", [])

        let after = try await store.list(
            prefix: "/registry/pods/", revision: nil, limit: nil, after: "/registry/pods/default/a")
        try expectEqual(after.items.map(\.key), [
            "/registry/pods/default/a/sub", "/registry/pods/default/b", "/registry/pods/default2/c",
        ], "keys listed after a key")
    }

    /// A list at an old revision shows the values of then: not later creations, and keys deleted since.
    @Sendable public static func checkListAtOldRevision(_ store: any KeyValueStore) async throws {
        let a1 = try await store.create("/old/a", value: bytes("a1"))
        let b1 = try await store.create("/old/b", value: bytes("b1"))
        let then = try await store.currentRevision()
        let a2 = try await store.update("/old/a", value: bytes("a2"), expectedRevision: nil)
        try await store.delete("/old/b", expectedRevision: nil)
        let c1 = try await store.create("/old/c", value: bytes("c1"))
        try await store.create("/other/x", value: bytes("x"))

        let old = try await store.list(prefix: "/old/", revision: then, limit: nil, after: nil)
        try expectEqual(old, ListResult(items: [a1, b1], revision: then, hasMore: false), "list at the old revision")
        let older = try await store.list(prefix: "/old/", revision: a1.modRevision, limit: nil, after: nil)
        try expectEqual(older.items, [a1], "list before b was created")
        let now = try await store.list(prefix: "/old/", revision: nil, limit: nil, after: nil)
        try expectEqual(now.items, [a2, c1], "list now")
        let explicitNow = try await store.list(prefix: "/old/", revision: now.revision, limit: nil, after: nil)
        try expectEqual(explicitNow, now, "list at the current revision given explicitly")
        let oldPage = try await store.list(prefix: "/old/", revision: then, limit: 1, after: "/old/a")
        try expectEqual(oldPage, ListResult(items: [b1], revision: then, hasMore: false), "old page after a key")
    }

    /// Reading at a revision above the current one fails with `.futureRevision`; so does compacting there.
    @Sendable public static func checkFutureRevision(_ store: any KeyValueStore) async throws {
        try await store.create("/future/a", value: bytes("a"))
        let current = try await store.currentRevision()
        try await expectError(.futureRevision(requested: current + 1, current: current), "list in the future") {
            try await store.list(prefix: "/future/", revision: current + 1, limit: nil, after: nil)
        }
        try await expectError(.futureRevision(requested: current + 5, current: current), "compact in the future") {
            try await store.compact(upTo: current + 5)
        }
    }

    /// Pages taken with `limit` and `after` at the revision of the first page concatenate to exactly the
    /// unpaged list at that revision, even when keys are created, updated and deleted between pages.
    @Sendable public static func checkPaginationAtFixedRevision(_ store: any KeyValueStore) async throws {
        let keys = (0..<20).map { String(format: "/page/k%02d", $0) }
        for key in keys { try await store.create(key, value: bytes(key)) }
        try await store.create("/pagez", value: bytes("sibling"))
        try await store.create("/other/x", value: bytes("x"))

        let exact = try await store.list(prefix: "/page/", revision: nil, limit: 20, after: nil)
        try expect(exact.items.count == 20 && !exact.hasMore, "a limit equal to the count: no more")
        let short = try await store.list(prefix: "/page/", revision: nil, limit: 19, after: nil)
        try expect(short.items.count == 19 && short.hasMore, "a limit one below the count: more")

        var pages: [ListResult] = [try await store.list(prefix: "/page/", revision: nil, limit: 6, after: nil)]
        let revision = pages[0].revision
        var step = 0
        while let last = pages.last, last.hasMore {
            // Writes between pages, before, inside and after the listed range.
            step += 1
            try await store.create(String(format: "/page/k%02da", step * 5), value: bytes("new"))
            try await store.create("/page/a\(step)", value: bytes("new"))
            try await store.update(String(format: "/page/k%02d", step * 5 + 1), value: bytes("changed"),
                                   expectedRevision: nil)
            try await store.delete(String(format: "/page/k%02d", step * 5 + 2), expectedRevision: nil)
            let page = try await store.list(
                prefix: "/page/", revision: revision, limit: 6, after: last.items.last?.key)
            try expectEqual(page.revision, revision, "revision of page \(pages.count + 1)")
            try expect(page.items.count <= 6, "page \(pages.count + 1) exceeds the limit")
            pages.append(page)
            try expect(pages.count <= 10, "pagination does not end")
        }
        let paged = pages.flatMap(\.items)
        let whole = try await store.list(prefix: "/page/", revision: revision, limit: nil, after: nil)
        try expectEqual(paged, whole.items, "pages concatenated vs. one list at their revision")
        try expectEqual(paged.map(\.key), keys, "keys at the revision of the first page")
        try expectEqual(pages.map(\.items.count), [6, 6, 6, 2], "page sizes")
    }
}
