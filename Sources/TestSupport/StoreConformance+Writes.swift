import Foundation
import Storage

extension StoreConformance {
    /// An empty store is at revision 1; every successful write advances the revision by exactly one and is
    /// stamped with it; failed writes advance nothing.
    @Sendable public static func checkRevisionsStartAtOneAndIncrementByOne(_ store: any KeyValueStore) async throws {
        try expectEqual(try await store.currentRevision(), 1, "current revision of an empty store")
        let empty = try await store.list(prefix: "", revision: 1, limit: nil, after: nil)
        try expectEqual(empty, ListResult(items: [], revision: 1, hasMore: false), "list of an empty store at 1")

        let created = try await store.create("/rev/a", value: bytes("1"))
        try expectEqual(created.modRevision, 2, "revision of the first write")
        try expectEqual(created.createRevision, 2, "create revision of the first write")
        try expectEqual(try await store.currentRevision(), 2, "current revision after one write")

        let updated = try await store.update("/rev/a", value: bytes("2"), expectedRevision: nil)
        try expectEqual(updated.modRevision, 3, "revision of an update")
        try expectEqual(updated.createRevision, 2, "create revision kept by an update")

        try await expectError(.alreadyExists(key: "/rev/a"), "failed create") {
            try await store.create("/rev/a", value: bytes("x"))
        }
        try await expectError(.notFound(key: "/rev/missing"), "failed update") {
            try await store.update("/rev/missing", value: bytes("x"), expectedRevision: nil)
        }
        try expectEqual(try await store.currentRevision(), 3, "current revision after failed writes")

        let deleted = try await store.delete("/rev/a", expectedRevision: nil)
        try expectEqual(deleted.modRevision, 4, "revision of a delete")
        let other = try await store.create("/rev/b", value: bytes("1"))
        try expectEqual(other.modRevision, 5, "revision after a delete")
        try expectEqual(try await store.currentRevision(), 5, "current revision")
    }

    /// `get` returns the current key-value, nil for absent or deleted keys; re-creating a deleted key gives
    /// it a new create revision.
    @Sendable public static func checkGet(_ store: any KeyValueStore) async throws {
        try expectEqual(try await store.get("/get/a"), nil, "get of a missing key")
        let created = try await store.create("/get/a", value: bytes("one"))
        try expectEqual(
            created, KeyValue(key: "/get/a", value: bytes("one"), createRevision: 2, modRevision: 2), "created")
        try expectEqual(try await store.get("/get/a"), created, "get after create")
        try expectEqual(try await store.get("/get"), nil, "get of a prefix of an existing key")

        let updated = try await store.update("/get/a", value: bytes("two"), expectedRevision: nil)
        try expectEqual(
            updated, KeyValue(key: "/get/a", value: bytes("two"), createRevision: 2, modRevision: 3), "updated")
        try expectEqual(try await store.get("/get/a"), updated, "get after update")

        try await store.delete("/get/a", expectedRevision: nil)
        try expectEqual(try await store.get("/get/a"), nil, "get after delete")

        let recreated = try await store.create("/get/a", value: bytes("three"))
        try expectEqual(recreated.createRevision, 5, "create revision after re-creation")
        try expectEqual(try await store.get("/get/a"), recreated, "get after re-creation")
    }

    /// Values are stored byte for byte, including empty and non-UTF-8 values; keys may hold any Unicode.
    @Sendable public static func checkValuesRoundTrip(_ store: any KeyValueStore) async throws {
        let binary = Data((0...255).map { UInt8($0) } + [0, 0, 0xFF])
        let values: [(String, Data)] = [
            ("/values/empty", Data()),
            ("/values/binary", binary),
            ("/values/large", Data(repeating: 0xAB, count: 1 << 20)),
            ("/values/ünïcödé 🚀", bytes("{\"kind\":\"Pod\"}")),
        ]
        for (key, value) in values {
            let created = try await store.create(key, value: value)
            try expectEqual(created.value, value, "value returned by create of \(key)")
            try expectEqual(try await store.get(key)?.value, value, "value read back for \(key)")
        }
        let updated = try await store.update("/values/binary", value: Data(), expectedRevision: nil)
        try expectEqual(try await store.get("/values/binary"), updated, "empty value after update")
        let listed = try await store.list(prefix: "/values/", revision: nil, limit: nil, after: nil)
        try expectEqual(listed.items.count, 4, "number of listed values")
    }

    /// `create` of a present key fails with `.alreadyExists`, writing nothing; after a delete it succeeds.
    @Sendable public static func checkCreateConflict(_ store: any KeyValueStore) async throws {
        let first = try await store.create("/cc/a", value: bytes("first"))
        try await expectError(.alreadyExists(key: "/cc/a"), "second create") {
            try await store.create("/cc/a", value: bytes("second"))
        }
        try expectEqual(try await store.get("/cc/a"), first, "value after a failed create")
        try expectEqual(try await store.currentRevision(), first.modRevision, "revision after a failed create")
        try await store.delete("/cc/a", expectedRevision: first.modRevision)
        let again = try await store.create("/cc/a", value: bytes("again"))
        try expectEqual(again.value, bytes("again"), "create after delete")
    }

    /// `update` without an expected revision always applies; with one it applies only when it equals the
    /// key's `modRevision`, else fails with `.conflict` carrying the current key-value and writes nothing.
    @Sendable public static func checkUpdate(_ store: any KeyValueStore) async throws {
        let created = try await store.create("/up/a", value: bytes("v1"))
        let blind = try await store.update("/up/a", value: bytes("v2"), expectedRevision: nil)
        try expectEqual(blind.value, bytes("v2"), "unguarded update")
        let guarded = try await store.update("/up/a", value: bytes("v3"), expectedRevision: blind.modRevision)
        try expectEqual(
            guarded, KeyValue(key: "/up/a", value: bytes("v3"), createRevision: created.createRevision,
                              modRevision: blind.modRevision + 1), "guarded update")
        try await expectError(.conflict(current: guarded), "update with a stale revision") {
            try await store.update("/up/a", value: bytes("stale"), expectedRevision: created.modRevision)
        }
        try expectEqual(try await store.get("/up/a"), guarded, "value after a conflicting update")
        try expectEqual(try await store.currentRevision(), guarded.modRevision, "revision after a conflict")
    }

    /// `delete` works like `update`: guarded by an optional expected revision, `.conflict` with the current
    /// key-value on mismatch. It returns the deleted value stamped with the deletion's revision.
    @Sendable public static func checkDelete(_ store: any KeyValueStore) async throws {
        let a = try await store.create("/del/a", value: bytes("a"))
        let b = try await store.create("/del/b", value: bytes("b"))
        let a2 = try await store.update("/del/a", value: bytes("a2"), expectedRevision: nil)

        try await expectError(.conflict(current: a2), "delete with a stale revision") {
            try await store.delete("/del/a", expectedRevision: a.modRevision)
        }
        try expectEqual(try await store.get("/del/a"), a2, "value after a conflicting delete")

        let deletedA = try await store.delete("/del/a", expectedRevision: a2.modRevision)
        try expectEqual(
            deletedA, KeyValue(key: "/del/a", value: bytes("a2"), createRevision: a.createRevision,
                               modRevision: a2.modRevision + 1), "guarded delete result")
        try expectEqual(try await store.currentRevision(), deletedA.modRevision, "revision after delete")

        let deletedB = try await store.delete("/del/b", expectedRevision: nil)
        try expectEqual(
            deletedB, KeyValue(key: "/del/b", value: bytes("b"), createRevision: b.createRevision,
                               modRevision: deletedA.modRevision + 1), "unguarded delete result")
        try expectEqual(try await store.get("/del/b"), nil, "get after delete")
    }

    /// Updates and deletes of absent (never created or deleted) keys fail with `.notFound`, guarded or not.
    @Sendable public static func checkNotFound(_ store: any KeyValueStore) async throws {
        try await expectError(.notFound(key: "/nf/a"), "update of a missing key") {
            try await store.update("/nf/a", value: bytes("x"), expectedRevision: nil)
        }
        try await expectError(.notFound(key: "/nf/a"), "guarded update of a missing key") {
            try await store.update("/nf/a", value: bytes("x"), expectedRevision: 1)
        }
        try await expectError(.notFound(key: "/nf/a"), "delete of a missing key") {
            try await store.delete("/nf/a", expectedRevision: nil)
        }
        let created = try await store.create("/nf/a", value: bytes("x"))
        try await store.delete("/nf/a", expectedRevision: nil)
        try await expectError(.notFound(key: "/nf/a"), "update of a deleted key") {
            try await store.update("/nf/a", value: bytes("y"), expectedRevision: created.modRevision)
        }
        try await expectError(.notFound(key: "/nf/a"), "delete of a deleted key") {
            try await store.delete("/nf/a", expectedRevision: created.modRevision)
        }
        try expectEqual(try await store.currentRevision(), 3, "revision after failed writes")
    }
}

extension StoreConformance {
    /// Sixteen tasks racing to create one key: exactly one succeeds, the others get `.alreadyExists`; racing
    /// guarded updates from the same revision: exactly one succeeds, the others get `.conflict` with the
    /// winner's value. Failed writes take no revision.
    @Sendable public static func checkConcurrentConflictingWrites(_ store: any KeyValueStore) async throws {
        let racers = 16
        let start = try await store.currentRevision()
        let creates = await withTaskGroup(of: Result<KeyValue, any Error>.self) { group in
            for racer in 0..<racers {
                group.addTask {
                    do { return .success(try await store.create("/race/key", value: bytes("\(racer)"))) }
                    catch { return .failure(error) }
                }
            }
            var results: [Result<KeyValue, any Error>] = []
            for await result in group { results.append(result) }
            return results
        }
        let created = creates.compactMap { try? $0.get() }
        try expectEqual(created.count, 1, "successful racing creates")
        for case .failure(let error) in creates {
            try expectEqual(error as? StoreError, .alreadyExists(key: "/race/key"), "error of a losing create")
        }
        try expectEqual(created[0].modRevision, start + 1, "revision of the winning create")

        let updates = await withTaskGroup(of: Result<KeyValue, any Error>.self) { group in
            for racer in 0..<racers {
                group.addTask {
                    do {
                        return .success(try await store.update(
                            "/race/key", value: bytes("u\(racer)"), expectedRevision: created[0].modRevision))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var results: [Result<KeyValue, any Error>] = []
            for await result in group { results.append(result) }
            return results
        }
        let updated = updates.compactMap { try? $0.get() }
        try expectEqual(updated.count, 1, "successful racing updates")
        for case .failure(let error) in updates {
            try expectEqual(error as? StoreError, .conflict(current: updated[0]), "error of a losing update")
        }
        try expectEqual(try await store.currentRevision(), start + 2, "revision after the races")
        try expectEqual(try await store.get("/race/key"), updated[0], "value after the races")
    }
}
