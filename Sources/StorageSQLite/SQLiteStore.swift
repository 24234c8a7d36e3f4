import Foundation
import GRDB
import Storage

/// The embedded, durable `KeyValueStore`: one SQLite database accessed through GRDB.
///
/// Layout: a kine-like log of every revision plus a table of current keys (see `SQLiteSchema`).
///
/// Writes go through one writer that commits queued writes in batches (group commit, see
/// `GroupCommitWriter`): a write returns only after the transaction holding it committed, and its watch
/// event is published after that commit, in revision order. Reads run on a `DatabasePool` of reader
/// connections, concurrently with writes; each read is one snapshot, and a read that starts after a write
/// returned sees it.
///
/// Durability: the database uses WAL journaling with `synchronous = NORMAL`. A commit appends its pages to
/// the `-wal` file with `write(2)` before the write is acknowledged, so once a write returned it survives
/// the death of the process (`kill -9`, a crash): the data is in the operating system's page cache and is
/// recovered from the WAL on the next open. Only an operating-system crash or power loss can lose the last
/// commits since the latest checkpoint or WAL sync (`synchronous = FULL` would close that window by
/// syncing on every commit, at a large cost in throughput); the database is never corrupted either way.
///
/// A write cannot be withdrawn once submitted: cancelling the calling task does not cancel it.
public final class SQLiteStore: KeyValueStore {
    /// The path of the database file.
    public let path: String
    private let pool: DatabasePool
    private let hub: WatchHub
    private let writer: GroupCommitWriter
    private let closed = Locked(false)

    /// Opens (creating it and `directory` if needed) the database `<directory>/state.db`.
    public convenience init(directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.unavailable("cannot create \(directory.path): \(error)")
        }
        try self.init(path: directory.appendingPathComponent("state.db").path)
    }

    /// Opens (creating it if needed) the database file at `path`. Revisions continue from what the file
    /// holds. Throws `StoreError.unavailable` when the file cannot be opened or migrated.
    public convenience init(path: String) throws {
        try self.init(path: path, watchHistoryPageSize: 1000)
    }

    /// Opens the database at `path`; watches replay history `watchHistoryPageSize` events per read.
    package init(path: String, watchHistoryPageSize: Int) throws {
        self.path = path
        var configuration = Configuration()
        configuration.label = "skiff.storage"
        // Another connection (a second store on the same file) may hold the write lock briefly.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // WAL (set by DatabasePool) + NORMAL: durable against process death, see the type's comment.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try SQLiteSchema.migrate(pool)
            let revision = try pool.read { try SQLiteQueries.currentRevision($0) }
            hub = WatchHub(lastPublished: revision, historyPageSize: watchHistoryPageSize)
        } catch {
            throw StoreError.unavailable("cannot open \(path): \(error)")
        }
        writer = GroupCommitWriter(pool: pool, hub: hub)
    }

    deinit {
        close()
    }

    /// Closes the store: new calls throw `StoreError.unavailable`, watch streams finish, a write being
    /// committed completes, and the database connections close. Idempotent. Not needed for durability:
    /// every acknowledged write is already in the database file's WAL.
    public func close() {
        let wasOpen = closed.withLock { closed in
            defer { closed = true }
            return !closed
        }
        guard wasOpen else { return }
        writer.close()
        hub.close()
        try? pool.close()
    }

    /// The number of registered watchers (for tests).
    package var watcherCount: Int { hub.subscriberCount }

    public func currentRevision() async throws -> Revision {
        try await read { try SQLiteQueries.currentRevision($0) }
    }

    public func compactedRevision() async throws -> Revision {
        try await read { try SQLiteQueries.compactedRevision($0) }
    }

    public func get(_ key: String) async throws -> KeyValue? {
        try await read { try SQLiteQueries.get($0, key: key) }
    }

    public func list(prefix: String, revision: Revision?, limit: Int?, after: String?) async throws -> ListResult {
        let limit = limit.flatMap { $0 > 0 ? $0 : nil }
        return try await read { db in
            let current = try SQLiteQueries.currentRevision(db)
            let at = revision ?? current
            if at > current { throw StoreError.futureRevision(requested: at, current: current) }
            let compacted = try SQLiteQueries.compactedRevision(db)
            if at < compacted { throw StoreError.compacted(requested: at, compactedRevision: compacted) }
            // One extra row tells whether more remain.
            var items = try SQLiteQueries.list(
                db, prefix: prefix, revision: at, isCurrent: at == current, after: after,
                limit: limit.map { $0 < Int.max ? $0 + 1 : $0 })
            var hasMore = false
            if let limit, items.count > limit {
                items.removeLast(items.count - limit)
                hasMore = true
            }
            return ListResult(items: items, revision: at, hasMore: hasMore)
        }
    }

    @discardableResult
    public func create(_ key: String, value: Data) async throws -> KeyValue {
        try await write(.create(key: key, value: value))
    }

    @discardableResult
    public func update(_ key: String, value: Data, expectedRevision: Revision?) async throws -> KeyValue {
        try await write(.update(key: key, value: value, expectedRevision: expectedRevision))
    }

    @discardableResult
    public func delete(_ key: String, expectedRevision: Revision?) async throws -> KeyValue {
        try await write(.delete(key: key, expectedRevision: expectedRevision))
    }

    public func watch(prefix: String, after: Revision) -> AsyncThrowingStream<WatchEvent, Error> {
        hub.watch(prefix: prefix, after: after) { [pool, closed] prefix, after, through, limit in
            try await Self.read(pool, closed) { db in
                let compacted = try SQLiteQueries.compactedRevision(db)
                if after + 1 < compacted {
                    throw StoreError.compacted(requested: after, compactedRevision: compacted)
                }
                return try SQLiteQueries.events(db, prefix: prefix, after: after, through: through, limit: limit)
            }
        }
    }

    public func compact(upTo revision: Revision) async throws {
        _ = try await writer.submit(.compact(upTo: revision))
    }

    private func write(_ operation: GroupCommitWriter.Operation) async throws -> KeyValue {
        guard let kv = try await writer.submit(operation) else {
            throw StoreError.unavailable("write returned no value")
        }
        return kv
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await Self.read(pool, closed, body)
    }

    /// Runs `body` in a read transaction on a reader connection, reporting errors as `StoreError`.
    private static func read<T: Sendable>(
        _ pool: DatabasePool, _ closed: Locked<Bool>, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        if closed.withLock({ $0 }) { throw StoreError.unavailable("store closed") }
        do {
            return try await pool.read(body)
        } catch {
            throw StoreError.wrapping(error)
        }
    }
}
