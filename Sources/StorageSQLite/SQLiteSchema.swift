import GRDB
import Storage

/// The database layout of `SQLiteStore` (a kine-like log).
///
/// - `log`: one row per revision, the history of every key. `rev` is the revision (the rowid);
///   `created`/`deleted` flag creations and deletions; `create_rev` is the key's create revision;
///   `prev_rev` is the revision of the value this write replaced (0 for a creation); `value` is the written
///   value (empty for a deletion: the deleted value is the row at `prev_rev`). The newest row of a key is its
///   current state; the state at revision R is, for each key, its newest row with `rev <= R` unless that
///   row is a deletion. Indexed on `(key, rev)`.
/// - `current`: each existing key and the revision of its newest row, so listing the current state
///   reads only live keys.
/// - `meta`: named integers; `compacted` is the oldest readable revision.
///
/// The current revision is the largest `rev` in `log` (1 when empty): compaction never removes the newest row.
enum SQLiteSchema {
    static func migrate(_ writer: some DatabaseWriter) throws {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE log (
                    rev INTEGER PRIMARY KEY,
                    key TEXT NOT NULL,
                    created INTEGER NOT NULL,
                    deleted INTEGER NOT NULL,
                    create_rev INTEGER NOT NULL,
                    prev_rev INTEGER NOT NULL,
                    value BLOB NOT NULL
                );
                CREATE INDEX log_key_rev ON log(key, rev);
                CREATE TABLE current (
                    key TEXT NOT NULL PRIMARY KEY,
                    rev INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE meta (
                    name TEXT NOT NULL PRIMARY KEY,
                    value INTEGER NOT NULL
                ) WITHOUT ROWID;
                INSERT INTO meta (name, value) VALUES ('compacted', 1);
                """)
        }
        try migrator.migrate(writer)
    }
}
