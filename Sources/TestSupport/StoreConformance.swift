import Foundation
import Storage

/// The conformance suite every `KeyValueStore` must pass: the contract documented on `KeyValueStore`,
/// checked by plain functions that throw `ConformanceFailure` (this module imports no test framework).
///
/// Each check takes a fresh, empty store. Test targets call them one per test so that failures are named:
///
///     @Test func createConflict() async throws {
///         try await StoreConformance.checkCreateConflict(InMemoryStore())
///     }
///
/// or run them all with `runAll(makeStore:cleanup:)`. Checks wait for watch events without timing
/// assumptions; a timeout (`watchTimeout`) only turns a hang into a failure.
public enum StoreConformance {
    /// One named check.
    public struct Check: Sendable {
        public let name: String
        public let run: @Sendable (any KeyValueStore) async throws -> Void
    }

    /// How long a check waits for expected watch events before failing (a guard against hangs only).
    public static let watchTimeout: Duration = .seconds(15)

    /// Every check, in a stable order.
    public static let checks: [Check] = [
        Check(name: "revisionsStartAtOneAndIncrementByOne", run: checkRevisionsStartAtOneAndIncrementByOne),
        Check(name: "get", run: checkGet),
        Check(name: "valuesRoundTrip", run: checkValuesRoundTrip),
        Check(name: "createConflict", run: checkCreateConflict),
        Check(name: "update", run: checkUpdate),
        Check(name: "delete", run: checkDelete),
        Check(name: "notFound", run: checkNotFound),
        Check(name: "listByPrefix", run: checkListByPrefix),
        Check(name: "listAtOldRevision", run: checkListAtOldRevision),
        Check(name: "futureRevision", run: checkFutureRevision),
        Check(name: "paginationAtFixedRevision", run: checkPaginationAtFixedRevision),
        Check(name: "watchReplaysHistoryThenLive", run: checkWatchReplaysHistoryThenLive),
        Check(name: "watchFiltersByPrefix", run: checkWatchFiltersByPrefix),
        Check(name: "concurrentWritersAndWatchers", run: checkConcurrentWritersAndWatchers),
        Check(name: "concurrentConflictingWrites", run: checkConcurrentConflictingWrites),
        Check(name: "compaction", run: checkCompaction),
    ]

    /// Runs every check, each on a new store from `makeStore`, passed to `cleanup` afterwards (even when the
    /// check failed). Throws the first failure, its message prefixed with the check's name.
    public static func runAll(
        makeStore: () async throws -> any KeyValueStore,
        cleanup: (any KeyValueStore) async throws -> Void = { _ in }
    ) async throws {
        for check in checks {
            let store = try await makeStore()
            do {
                try await check.run(store)
            } catch {
                try? await cleanup(store)
                throw ConformanceFailure(named: check.name, wrapping: error)
            }
            try await cleanup(store)
        }
    }
}

/// A conformance check failed: what was expected, and where in the suite.
public struct ConformanceFailure: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var file: String
    public var line: Int

    public init(_ message: String, file: StaticString = #filePath, line: UInt = #line) {
        self.message = message
        self.file = "\(file)"
        self.line = Int(line)
    }

    init(named name: String, wrapping error: any Error) {
        if let failure = error as? ConformanceFailure {
            self = failure
            message = "\(name): \(failure.message)"
        } else {
            self.init("\(name): unexpected error \(error)")
        }
    }

    public var description: String { "\(file):\(line): \(message)" }
}

// MARK: - Assertions used by the checks

func expect(
    _ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #filePath, line: UInt = #line
) throws {
    if !condition { throw ConformanceFailure(message(), file: file, line: line) }
}

func expectEqual<T: Equatable>(
    _ actual: T, _ expected: T, _ what: @autoclosure () -> String,
    file: StaticString = #filePath, line: UInt = #line
) throws {
    if actual != expected {
        throw ConformanceFailure("\(what()): expected \(expected), got \(actual)", file: file, line: line)
    }
}

/// Compares two sequences, reporting the lengths and the first difference rather than both in full.
func expectSameElements<T: Equatable>(
    _ actual: [T], _ expected: [T], _ what: @autoclosure () -> String,
    file: StaticString = #filePath, line: UInt = #line
) throws {
    guard actual != expected else { return }
    let index = (0..<min(actual.count, expected.count)).first { actual[$0] != expected[$0] }
        ?? min(actual.count, expected.count)
    let got = index < actual.count ? "\(actual[index])" : "nothing"
    let wanted = index < expected.count ? "\(expected[index])" : "nothing"
    throw ConformanceFailure(
        "\(what()): \(actual.count) elements instead of \(expected.count); first difference at index \(index): "
            + "expected \(wanted), got \(got)", file: file, line: line)
}

/// Runs `body` and requires it to throw exactly `expected`.
func expectError<T>(
    _ expected: StoreError, _ what: @autoclosure () -> String,
    file: StaticString = #filePath, line: UInt = #line, _ body: () async throws -> T
) async throws {
    let result: T
    do {
        result = try await body()
    } catch let error as StoreError {
        try expectEqual(error, expected, "\(what()): error", file: file, line: line)
        return
    } catch {
        throw ConformanceFailure("\(what()): expected \(expected), got \(error)", file: file, line: line)
    }
    throw ConformanceFailure("\(what()): expected \(expected), got a result \(result)", file: file, line: line)
}

/// UTF-8 bytes of a string, for short test values.
func bytes(_ string: String) -> Data {
    Data(string.utf8)
}
