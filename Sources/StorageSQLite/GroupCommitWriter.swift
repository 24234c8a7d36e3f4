import Foundation
import GRDB
import Storage

/// The single writer of a `SQLiteStore`, committing queued writes in batches (group commit).
///
/// Writes are queued as they arrive. One drain task at a time takes *everything* queued, applies it in
/// arrival order inside one transaction (each write gets its own revision, or its own failure such as
/// `.conflict`, which writes nothing), commits, then publishes the batch's events to the watch hub in
/// revision order and only then resumes the callers. Writes that arrive while a transaction commits form
/// the next batch. If the transaction itself fails (I/O error, closed database) every write of the batch
/// fails with `.unavailable` and nothing of it is stored.
final class GroupCommitWriter: Sendable {
    enum Operation: Sendable {
        case create(key: String, value: Data)
        case update(key: String, value: Data, expectedRevision: Revision?)
        case delete(key: String, expectedRevision: Revision?)
        /// Outcome: nil.
        case compact(upTo: Revision)
    }

    private struct Pending: Sendable {
        let operation: Operation
        let continuation: CheckedContinuation<KeyValue?, any Error>
    }

    private struct State: Sendable {
        var queue: [Pending] = []
        var draining = false
        var closed = false
    }

    private let pool: DatabasePool
    private let hub: WatchHub
    private let state = Locked(State())

    init(pool: DatabasePool, hub: WatchHub) {
        self.pool = pool
        self.hub = hub
    }

    /// Queues a write and returns once its batch committed (or failed).
    func submit(_ operation: Operation) async throws -> KeyValue? {
        try await withCheckedThrowingContinuation { continuation in
            let startDrain: Bool? = state.withLock { state in
                guard !state.closed else { return nil }
                state.queue.append(Pending(operation: operation, continuation: continuation))
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            switch startDrain {
            case nil: continuation.resume(throwing: StoreError.unavailable("store closed"))
            case true?: Task { await self.drain() }
            case false?: break
            }
        }
    }

    /// Refuses new writes. Queued ones still run (and fail if the database is closed by then).
    func close() {
        state.withLock { $0.closed = true }
    }

    private func drain() async {
        while true {
            let batch: [Pending] = state.withLock { state in
                let batch = state.queue
                state.queue.removeAll(keepingCapacity: true)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            await commit(batch)
        }
    }

    private func commit(_ batch: [Pending]) async {
        let operations = batch.map(\.operation)
        let outcome: (results: [Result<KeyValue?, StoreError>], events: [WatchEvent])
        do {
            // IMMEDIATE: take the write lock before reading the current revision, so the revisions stay right
            // even if another connection (a second store on the same file) writes too.
            outcome = try await pool.writeWithoutTransaction { db in
                var outcome: (results: [Result<KeyValue?, StoreError>], events: [WatchEvent])?
                try db.inTransaction(.immediate) {
                    outcome = try Self.apply(operations, db)
                    return .commit
                }
                return outcome!
            }
        } catch {
            let failure = StoreError.wrapping(error)
            for pending in batch { pending.continuation.resume(throwing: failure) }
            return
        }
        hub.publish(outcome.events)
        for (pending, result) in zip(batch, outcome.results) {
            pending.continuation.resume(with: result.mapError { $0 as any Error })
        }
    }

    /// Applies the operations in order inside the caller's transaction. A `StoreError` fails only its own
    /// operation (raised before it writes anything); any other error aborts the whole transaction.
    private static func apply(
        _ operations: [Operation], _ db: Database
    ) throws -> (results: [Result<KeyValue?, StoreError>], events: [WatchEvent]) {
        var revision = try SQLiteQueries.currentRevision(db)
        var results: [Result<KeyValue?, StoreError>] = []
        var events: [WatchEvent] = []
        results.reserveCapacity(operations.count)
        events.reserveCapacity(operations.count)
        for operation in operations {
            do {
                if case .compact(let target) = operation {
                    try compact(db, upTo: target, currentRevision: revision)
                    results.append(.success(nil))
                    continue
                }
                let event = try write(operation, db, revision: revision + 1)
                revision += 1
                events.append(event)
                results.append(.success(event.kv))
            } catch let error as StoreError {
                results.append(.failure(error))
            }
        }
        return (results, events)
    }

    /// Checks the operation's precondition, then writes it at `revision`.
    private static func write(_ operation: Operation, _ db: Database, revision: Revision) throws -> WatchEvent {
        switch operation {
        case .create(let key, let value):
            if try currentRevision(of: key, db) != nil { throw StoreError.alreadyExists(key: key) }
            try insertLog(db, revision: revision, key: key, created: true, deleted: false,
                          createRevision: revision, previousRevision: 0, value: value)
            try db.cachedStatement(sql: "INSERT INTO current (key, rev) VALUES (?, ?)")
                .execute(arguments: [key, revision])
            let kv = KeyValue(key: key, value: value, createRevision: revision, modRevision: revision)
            return WatchEvent(kind: .created, kv: kv, previous: nil)

        case .update(let key, let value, let expectedRevision):
            let old = try existing(key, expectedRevision: expectedRevision, db)
            try insertLog(db, revision: revision, key: key, created: false, deleted: false,
                          createRevision: old.createRevision, previousRevision: old.modRevision, value: value)
            try db.cachedStatement(sql: "UPDATE current SET rev = ? WHERE key = ?")
                .execute(arguments: [revision, key])
            let kv = KeyValue(key: key, value: value, createRevision: old.createRevision, modRevision: revision)
            return WatchEvent(kind: .updated, kv: kv, previous: old)

        case .delete(let key, let expectedRevision):
            let old = try existing(key, expectedRevision: expectedRevision, db)
            try insertLog(db, revision: revision, key: key, created: false, deleted: true,
                          createRevision: old.createRevision, previousRevision: old.modRevision, value: Data())
            try db.cachedStatement(sql: "DELETE FROM current WHERE key = ?").execute(arguments: [key])
            let kv = KeyValue(key: key, value: old.value, createRevision: old.createRevision, modRevision: revision)
            return WatchEvent(kind: .deleted, kv: kv, previous: old)

        case .compact:
            preconditionFailure("compaction is not a revision-advancing write")
        }
    }

    private static func currentRevision(of key: String, _ db: Database) throws -> Revision? {
        try Revision.fetchOne(db.cachedStatement(sql: "SELECT rev FROM current WHERE key = ?"), arguments: [key])
    }

    private static func existing(_ key: String, expectedRevision: Revision?, _ db: Database) throws -> KeyValue {
        guard let current = try SQLiteQueries.get(db, key: key) else { throw StoreError.notFound(key: key) }
        if let expectedRevision, expectedRevision != current.modRevision {
            throw StoreError.conflict(current: current)
        }
        return current
    }

    private static func insertLog(
        _ db: Database, revision: Revision, key: String, created: Bool, deleted: Bool,
        createRevision: Revision, previousRevision: Revision, value: Data
    ) throws {
        try db.cachedStatement(sql: """
            INSERT INTO log (rev, key, created, deleted, create_rev, prev_rev, value) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [revision, key, created, deleted, createRevision, previousRevision, value])
    }

    /// Discards history below `target`: every row below it except each key's newest one (the key's state
    /// at `target`, also the `previous` of its next event) unless that row is a deletion. Rows at or above
    /// `target` stay, so watching from `target` still has every event with its previous value.
    private static func compact(_ db: Database, upTo target: Revision, currentRevision: Revision) throws {
        if target > currentRevision {
            throw StoreError.futureRevision(requested: target, current: currentRevision)
        }
        guard target > (try SQLiteQueries.compactedRevision(db)) else { return }
        try db.execute(sql: """
            DELETE FROM log WHERE rev < :target AND (
                deleted = 1
                OR EXISTS (SELECT 1 FROM log AS newer
                           WHERE newer.key = log.key AND newer.rev > log.rev AND newer.rev < :target)
            )
            """, arguments: ["target": target])
        try db.execute(sql: "UPDATE meta SET value = ? WHERE name = 'compacted'", arguments: [target])
    }
}
