import Foundation

/// Latency histograms of store operations, rendered in the Prometheus text format as
/// `skiff_store_request_duration_seconds` (the counterpart of kube-apiserver's `etcd_request_duration_seconds`),
/// labelled by operation (`get`, `list`, `create`, `update`, `delete`, `compact`, `current_revision`) and
/// outcome (`ok` or `error`; a `StoreError` the caller expects, such as a conflict, counts as `ok`: the store
/// answered).
public final class StoreLatencies: Sendable {
    /// Bucket upper bounds in seconds (Kubernetes' buckets for this metric, trimmed at 15 s).
    public static let buckets: [Double] = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15]

    private struct Series: Sendable {
        var counts = [UInt64](repeating: 0, count: StoreLatencies.buckets.count)
        var count: UInt64 = 0
        var sum: Double = 0
    }

    private struct Key: Hashable, Sendable, Comparable {
        var operation: String
        var outcome: String
        static func < (lhs: Key, rhs: Key) -> Bool { (lhs.operation, lhs.outcome) < (rhs.operation, rhs.outcome) }
    }

    private let series = Locked<[Key: Series]>([:])

    public init() {}

    /// Records one operation that took `duration`.
    public func record(_ operation: String, ok: Bool, duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        let bucket = Self.buckets.firstIndex { seconds <= $0 }
        series.withLock { series in
            var entry = series[Key(operation: operation, outcome: ok ? "ok" : "error"), default: Series()]
            if let bucket { entry.counts[bucket] += 1 }
            entry.count += 1
            entry.sum += seconds
            series[Key(operation: operation, outcome: ok ? "ok" : "error")] = entry
        }
    }

    /// How many operations named `operation` were recorded (both outcomes).
    public func count(of operation: String) -> UInt64 {
        series.withLock { $0.filter { $0.key.operation == operation }.values.reduce(0) { $0 + $1.count } }
    }

    /// The histograms in the Prometheus text exposition format (cumulative buckets, `+Inf`, `_sum`, `_count`).
    public func prometheusText() -> String {
        let name = "skiff_store_request_duration_seconds"
        var text = "# HELP \(name) Latency of store operations in seconds.\n# TYPE \(name) histogram\n"
        for (key, entry) in series.withLock({ $0 }).sorted(by: { $0.key < $1.key }) {
            let labels = "operation=\"\(key.operation)\",outcome=\"\(key.outcome)\""
            var cumulative: UInt64 = 0
            for (bound, count) in zip(Self.buckets, entry.counts) {
                cumulative += count
                text += "\(name)_bucket{\(labels),le=\"\(bound)\"} \(cumulative)\n"
            }
            text += "\(name)_bucket{\(labels),le=\"+Inf\"} \(entry.count)\n"
            text += "\(name)_sum{\(labels)} \(entry.sum)\n"
            text += "\(name)_count{\(labels)} \(entry.count)\n"
        }
        return text
    }
}

/// A store that measures every call of the store it wraps into `StoreLatencies` and otherwise behaves exactly
/// as it (watches pass through unmeasured: they are long-lived).
public struct MeasuredStore: KeyValueStore {
    public let base: any KeyValueStore
    public let latencies: StoreLatencies

    public init(_ base: any KeyValueStore, latencies: StoreLatencies = StoreLatencies()) {
        self.base = base
        self.latencies = latencies
    }

    private func measure<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        do {
            let result = try await body()
            latencies.record(operation, ok: true, duration: .now - start)
            return result
        } catch let error as StoreError {
            if case .unavailable = error {
                latencies.record(operation, ok: false, duration: .now - start)
            } else {
                latencies.record(operation, ok: true, duration: .now - start)
            }
            throw error
        } catch {
            latencies.record(operation, ok: false, duration: .now - start)
            throw error
        }
    }

    public func currentRevision() async throws -> Revision {
        try await measure("current_revision") { try await base.currentRevision() }
    }

    public func compactedRevision() async throws -> Revision {
        try await base.compactedRevision()
    }

    public func get(_ key: String) async throws -> KeyValue? {
        try await measure("get") { try await base.get(key) }
    }

    public func list(prefix: String, revision: Revision?, limit: Int?, after: String?) async throws -> ListResult {
        try await measure("list") { try await base.list(prefix: prefix, revision: revision, limit: limit, after: after) }
    }

    @discardableResult
    public func create(_ key: String, value: Data) async throws -> KeyValue {
        try await measure("create") { try await base.create(key, value: value) }
    }

    @discardableResult
    public func update(_ key: String, value: Data, expectedRevision: Revision?) async throws -> KeyValue {
        try await measure("update") { try await base.update(key, value: value, expectedRevision: expectedRevision) }
    }

    @discardableResult
    public func delete(_ key: String, expectedRevision: Revision?) async throws -> KeyValue {
        try await measure("delete") { try await base.delete(key, expectedRevision: expectedRevision) }
    }

    public func watch(prefix: String, after: Revision) -> AsyncThrowingStream<WatchEvent, Error> {
        base.watch(prefix: prefix, after: after)
    }

    public func compact(upTo revision: Revision) async throws {
        try await measure("compact") { try await base.compact(upTo: revision) }
    }
}
