import GRPCCore
import Storage

/// What a failed etcd call means for the store: etcd's own refusals it maps to `StoreError`s, and whether
/// the call may be sent again (to the same or another endpoint).
enum EtcdRPCFailure: Equatable {
    /// etcd's `ErrCompacted`: the revision asked for is below etcd's compaction revision.
    case compacted
    /// etcd's `ErrFutureRev`: the revision asked for is above etcd's current revision.
    case futureRevision
    /// Anything else, described for `.unavailable`.
    case other(String)

    /// Classifies an error thrown by a gRPC call. etcd reports its errors as status messages
    /// (`etcdserver: mvcc: required revision has been compacted`, `… is a future revision`). A cancelled
    /// call is `.other("cancelled")`, as the store contract words it.
    init(_ error: any Error) {
        guard let rpcError = error as? RPCError else {
            self = .other(StoreError.wrapping(error).unavailableDescription)
            return
        }
        if rpcError.code == .cancelled {
            self = .other("cancelled")
        } else if rpcError.message.contains("required revision has been compacted") {
            self = .compacted
        } else if rpcError.message.contains("required revision is a future revision") {
            self = .futureRevision
        } else if rpcError.message.contains("request is too large")
                    || rpcError.message.contains("larger than max") {
            self = .other("etcd refused the request as too large (etcd's --max-request-bytes, 1.5 MiB by default): "
                          + rpcError.message)
        } else {
            self = .other("etcd: \(rpcError.code): \(rpcError.message)")
        }
    }

    /// Whether a call that failed with `error` can be sent again without risk of applying it twice.
    ///
    /// Reads may always be repeated after `UNAVAILABLE`. A write only when the transport says it never
    /// opened a stream for it (no connection to the endpoint), since a write cut off mid-way may have been
    /// applied. The messages are grpc-swift-nio-transport's for RPCs that failed before a stream existed.
    static func isRetryable(_ error: any Error, idempotent: Bool) -> Bool {
        guard let rpcError = error as? RPCError, rpcError.code == .unavailable else { return false }
        if idempotent { return true }
        return unsentMessages.contains { rpcError.message.hasPrefix($0) }
    }

    private static let unsentMessages = [
        "Channel is in a transient failure state",
        "Channel isn't ready",
        "Failed to resolve server name",
        "Subchannel shutdown",
        "Could not establish a connection",
        "subchannel isn't ready",
    ]
}

extension StoreError {
    /// The text of an `.unavailable` error, else the error described.
    fileprivate var unavailableDescription: String {
        if case .unavailable(let text) = self { return text }
        return String(describing: self)
    }
}
