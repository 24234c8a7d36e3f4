import Foundation
import GRPCCore
import Storage

/// A `KeyValueStore` kept in etcd (v3 API over gRPC, plaintext HTTP/2).
///
/// Keys are stored as their UTF-8 bytes; revisions are etcd's own (a new etcd starts at revision 1).
/// Guarded writes are etcd transactions, so the store's compare-and-swap is etcd's. Several endpoints of one
/// cluster may be given: calls go to one and move on to the next when it is unreachable (`EtcdConnections`).
///
/// History: `compact(upTo: C)` compacts etcd at C − 1, one revision more than the contract requires,
/// because etcd reads a watch event's previous value at the event's revision − 1: the value an update at C
/// replaced stays readable. The store itself refuses reads and watches below C (see `EtcdStore+Compaction`).
///
/// Each `EtcdStore` runs its connections until `close()`.
public final class EtcdStore: KeyValueStore {
    public struct Configuration: Sendable {
        /// How long a call keeps trying while no endpoint can be reached before it fails `.unavailable`.
        public var retryTimeout: Duration = .seconds(5)
        /// The first pause before a broken watch reconnects; it doubles up to `watchReconnectMaxPause`.
        public var watchReconnectPause: Duration = .milliseconds(100)
        public var watchReconnectMaxPause: Duration = .seconds(2)

        public init() {}
    }

    /// The endpoints, in the order they are tried.
    public var endpoints: [EtcdEndpoint] { connections.endpoints }

    let connections: EtcdConnections
    let configuration: Configuration
    /// The smallest revision etcd is known to still have (etcd's compaction revision, a lower bound).
    let knownEtcdCompaction = Locked<Revision>(1)
    let watches = EtcdWatchRegistry()
    private let closed = Locked(false)

    public init(endpoints: [EtcdEndpoint], configuration: Configuration = Configuration()) throws {
        guard !endpoints.isEmpty else { throw EtcdEndpointError("an etcd store needs at least one endpoint") }
        self.configuration = configuration
        connections = try EtcdConnections(endpoints: endpoints, retryTimeout: configuration.retryTimeout)
    }

    public convenience init(endpoints: EtcdEndpoints, configuration: Configuration = Configuration()) throws {
        try self.init(endpoints: endpoints.endpoints, configuration: configuration)
    }

    /// Finishes every watch stream (normally), refuses further calls and closes the connections. Idempotent.
    public func close() {
        let wasClosed = closed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !wasClosed else { return }
        watches.close()
        connections.close()
    }

    var isClosed: Bool { closed.withLock { $0 } }

    // MARK: - Reads

    public func currentRevision() async throws -> Revision {
        try await range(.probe()).header.revision
    }

    public func get(_ key: String) async throws -> KeyValue? {
        try await range(.key(key)).kvs.first.map(KeyValue.init)
    }

    public func list(prefix: String, revision: Revision?, limit: Int?, after: String?) async throws -> ListResult {
        let keys = EtcdKeyRange(prefix: prefix, after: after)
        let limit = Int64(max(limit ?? 0, 0))
        guard let revision else {
            let response = try await range(.keys(in: keys, limit: limit))
            return ListResult(items: response.kvs.map(KeyValue.init), revision: response.header.revision,
                              hasMore: response.more)
        }
        let response = try await rangeAtRevision(.keys(in: keys, revision: revision, limit: limit))
        return ListResult(items: response.kvs.map(KeyValue.init), revision: revision, hasMore: response.more)
    }

    // MARK: - Writes

    @discardableResult
    public func create(_ key: String, value: Data) async throws -> KeyValue {
        let response = try await txn(.with {
            $0.compare = [.absent(key)]
            $0.success = [.put(key, value: value)]
        })
        guard response.succeeded else { throw StoreError.alreadyExists(key: key) }
        let revision = response.header.revision
        return KeyValue(key: key, value: value, createRevision: revision, modRevision: revision)
    }

    @discardableResult
    public func update(_ key: String, value: Data, expectedRevision: Revision?) async throws -> KeyValue {
        let response = try await guardedWrite(key, expectedRevision: expectedRevision, .put(key, value: value))
        let previous = response.responses.first?.responsePut.prevKv
        return KeyValue(key: key, value: value, createRevision: previous?.createRevision ?? response.header.revision,
                        modRevision: response.header.revision)
    }

    @discardableResult
    public func delete(_ key: String, expectedRevision: Revision?) async throws -> KeyValue {
        let response = try await guardedWrite(key, expectedRevision: expectedRevision, .delete(key))
        guard let previous = response.responses.first?.responseDeleteRange.prevKvs.first else {
            throw StoreError.unavailable("etcd deleted \(key) without returning its previous value")
        }
        var deleted = KeyValue(previous)
        deleted.modRevision = response.header.revision
        return deleted
    }

    /// An update or delete of `key`, applied only if the key exists and, when given, was last written at
    /// `expectedRevision`; else `.notFound` or `.conflict` with the current key-value (read in the same
    /// transaction).
    private func guardedWrite(
        _ key: String, expectedRevision: Revision?, _ write: Etcdserverpb_RequestOp
    ) async throws -> Etcdserverpb_TxnResponse {
        let response = try await txn(.with {
            $0.compare = Etcdserverpb_Compare.presence(of: key, expectedRevision: expectedRevision)
            $0.success = [write]
            $0.failure = [.range(.key(key))]
        })
        guard !response.succeeded else { return response }
        guard let current = response.responses.first?.responseRange.kvs.first else {
            throw StoreError.notFound(key: key)
        }
        throw StoreError.conflict(current: KeyValue(current))
    }

    // MARK: - Calls

    /// A read (at the request's revision, 0: the newest).
    func range(_ request: Etcdserverpb_RangeRequest) async throws -> Etcdserverpb_RangeResponse {
        try await perform(idempotent: true, requested: request.revision) { client in
            try await Etcdserverpb_KV.Client(wrapping: client).range(request, options: self.callOptions)
        }
    }

    /// A write transaction: sent again (to another endpoint) only when it certainly was not sent.
    func txn(_ request: Etcdserverpb_TxnRequest) async throws -> Etcdserverpb_TxnResponse {
        try await perform(idempotent: false, requested: 0) { client in
            try await Etcdserverpb_KV.Client(wrapping: client).txn(request, options: self.callOptions)
        }
    }

    /// Runs a call against the endpoints (see `EtcdConnections.call`), reporting failures as `StoreError`s;
    /// `requested` is the revision the call reads at (0: none), for `.compacted` and `.futureRevision`.
    func perform<Result: Sendable>(
        idempotent: Bool, requested: Revision, _ body: (EtcdConnections.Client) async throws -> Result
    ) async throws -> Result {
        do {
            return try await unmappedCall(idempotent: idempotent, body)
        } catch {
            throw await storeError(for: error, requested: requested)
        }
    }

    /// Runs a call against the endpoints, its errors as gRPC reported them (see `storeError(for:requested:)`).
    func unmappedCall<Result: Sendable>(
        idempotent: Bool, _ body: (EtcdConnections.Client) async throws -> Result
    ) async throws -> Result {
        guard !isClosed else { throw StoreError.unavailable("store closed") }
        return try await connections.call(idempotent: idempotent, body)
    }

    /// The `StoreError` of a failed call that read at `requested`.
    func storeError(for error: any Error, requested: Revision) async -> StoreError {
        if let error = error as? StoreError { return error }
        if isClosed { return .unavailable("store closed") }
        switch EtcdRPCFailure(error) {
        case .compacted:
            let compacted = (try? await compactedRevision()) ?? requested + 1
            return .compacted(requested: requested, compactedRevision: compacted)
        case .futureRevision:
            let current = (try? await currentRevision()) ?? requested - 1
            return .futureRevision(requested: requested, current: current)
        case .other(let description):
            return .unavailable(description)
        }
    }

    /// Calls carry no deadline of their own: grpc-swift arms a timer task for each call with one, which cost a
    /// quarter of the creates/s (`skiff bench etcd`). A connection that dies silently is found by keepalive
    /// (30 s + 10 s) and fails its calls; etcd bounds its own requests (a proposal times out after ~7 s).
    var callOptions: CallOptions { EtcdConnections.callOptions }
}
