import Foundation
import GRDB
import Storage

/// The reads of `SQLiteStore`, each run inside a transaction the caller provides (so a list and the
/// revision it reports come from one snapshot).
enum SQLiteQueries {
    static let emptyRevision: Revision = 1

    /// The revision of the last write, or 1 when nothing was written.
    static func currentRevision(_ db: Database) throws -> Revision {
        try Revision.fetchOne(db.cachedStatement(sql: "SELECT MAX(rev) FROM log")) ?? emptyRevision
    }

    /// The oldest readable revision.
    static func compactedRevision(_ db: Database) throws -> Revision {
        try Revision.fetchOne(
            db.cachedStatement(sql: "SELECT value FROM meta WHERE name = 'compacted'")
        ) ?? emptyRevision
    }

    /// The current value of `key`, or nil when it does not exist.
    static func get(_ db: Database, key: String) throws -> KeyValue? {
        let statement = try db.cachedStatement(sql: """
            SELECT l.key, l.value, l.create_rev, l.rev FROM current c JOIN log l ON l.rev = c.rev
            WHERE c.key = ?
            """)
        return try Row.fetchOne(statement, arguments: [key]).map(keyValue)
    }

    /// A page of `prefix` at `revision` (already validated): `limit` is the number of rows to fetch
    /// (nil: all). Uses `current` for the newest revision and `log` otherwise.
    static func list(
        _ db: Database, prefix: String, revision: Revision, isCurrent: Bool, after: String?, limit: Int?
    ) throws -> [KeyValue] {
        let range = KeyRange(prefix: prefix, after: after)
        let sql: String
        var arguments = range.arguments
        if isCurrent {
            sql = """
                SELECT l.key, l.value, l.create_rev, l.rev FROM current c JOIN log l ON l.rev = c.rev
                WHERE 1 \(range.conditions(column: "c.key"))
                ORDER BY c.key LIMIT ?
                """
        } else {
            // For each key in range, its newest row at or below the revision, unless that is a deletion. This
            // walks the (key, rev) index in key order, so a LIMIT stops the scan early (a GROUP BY here would
            // materialize and sort the whole range first).
            sql = """
                SELECT l.key, l.value, l.create_rev, l.rev FROM log l
                WHERE l.rev <= ? \(range.conditions(column: "l.key"))
                  AND NOT EXISTS (SELECT 1 FROM log n WHERE n.key = l.key AND n.rev > l.rev AND n.rev <= ?)
                  AND l.deleted = 0
                ORDER BY l.key LIMIT ?
                """
            arguments = [revision] + arguments + [revision]
        }
        arguments += [limit ?? -1]
        let statement = try db.cachedStatement(sql: sql)
        return try fetch(statement, arguments, keyValue)
    }

    /// The events of keys with `prefix` and revisions in `(after, through]`, ascending, at most `limit`.
    static func events(
        _ db: Database, prefix: String, after: Revision, through: Revision, limit: Int
    ) throws -> [WatchEvent] {
        let range = KeyRange(prefix: prefix, after: nil)
        let statement = try db.cachedStatement(sql: """
            SELECT l.rev, l.key, l.deleted, l.create_rev, l.prev_rev, l.value, p.value
            FROM log l LEFT JOIN log p ON p.rev = l.prev_rev
            WHERE l.rev > ? AND l.rev <= ? \(range.conditions(column: "l.key"))
            ORDER BY l.rev LIMIT ?
            """)
        let arguments: StatementArguments = [after, through] + range.arguments + [limit]
        return try fetch(statement, arguments, event)
    }

    /// Decodes each row straight from a cursor (no intermediate `Row` copies).
    private static func fetch<T>(
        _ statement: Statement, _ arguments: StatementArguments, _ decode: (Row) -> T
    ) throws -> [T] {
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        var result: [T] = []
        while let row = try rows.next() {
            result.append(decode(row))
        }
        return result
    }

    /// A row of (key, value, create_rev, rev) as a key-value.
    private static func keyValue(_ row: Row) -> KeyValue {
        KeyValue(key: row[0], value: row[1], createRevision: row[2], modRevision: row[3])
    }

    /// A row of (rev, key, deleted, create_rev, prev_rev, value, previous value) as an event.
    private static func event(_ row: Row) -> WatchEvent {
        let revision: Revision = row[0]
        let key: String = row[1]
        let deleted: Bool = row[2]
        let createRevision: Revision = row[3]
        let previousRevision: Revision = row[4]
        let previous: KeyValue? = (row[6] as Data?).flatMap { value in
            previousRevision > 0
                ? KeyValue(key: key, value: value, createRevision: createRevision, modRevision: previousRevision)
                : nil
        }
        if deleted {
            let kv = KeyValue(
                key: key, value: previous?.value ?? Data(), createRevision: createRevision, modRevision: revision)
            return WatchEvent(kind: .deleted, kv: kv, previous: previous)
        }
        let kv = KeyValue(key: key, value: row[5], createRevision: createRevision, modRevision: revision)
        return WatchEvent(kind: previousRevision == 0 ? .created : .updated, kv: kv, previous: previous)
    }
}

/// SQL conditions selecting the keys with a prefix (optionally after a key), usable by an index:
/// `prefix <= key < prefix || 0xFF` (0xFF never occurs in UTF-8), compared byte-wise (BINARY collation).
struct KeyRange {
    let prefix: String
    let upperBound: Data?
    let after: String?

    init(prefix: String, after: String?) {
        self.prefix = prefix
        self.upperBound = KeyOrder.prefixUpperBound(prefix)
        self.after = after
    }

    /// "AND ..." conditions on `column`, with placeholders matching `arguments`.
    func conditions(column: String) -> String {
        var sql = ""
        if upperBound != nil { sql += " AND \(column) >= ? AND \(column) < CAST(? AS TEXT)" }
        if after != nil { sql += " AND \(column) > ?" }
        return sql
    }

    var arguments: StatementArguments {
        var arguments: StatementArguments = []
        if let upperBound { arguments += [prefix, upperBound] }
        if let after { arguments += [after] }
        return arguments
    }
}
