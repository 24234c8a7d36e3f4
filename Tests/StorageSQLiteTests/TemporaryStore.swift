import Foundation
import Storage
import StorageSQLite

/// A new empty directory under the temporary directory, removed after `body`.
func withTemporaryDirectory(_ body: (URL) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("skiff-sqlite-tests-\(UUID().uuidString)", isDirectory: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await body(directory)
}

/// Runs `body` on a `SQLiteStore` in a new temporary directory, closed and removed afterwards.
func withTemporaryStore(
    watchHistoryPageSize: Int = 1000, _ body: (SQLiteStore) async throws -> Void
) async throws {
    try await withTemporaryDirectory { directory in
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try SQLiteStore(
            path: directory.appendingPathComponent("state.db").path, watchHistoryPageSize: watchHistoryPageSize)
        defer { store.close() }
        try await body(store)
    }
}
