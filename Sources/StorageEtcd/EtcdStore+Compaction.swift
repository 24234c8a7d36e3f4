import Storage

// Compaction and the revisions that can still be read.
//
// etcd 3.4 has no call that returns its compaction revision, so the store finds it: etcd refuses a read
// below it with ErrCompacted, so it is the smallest revision etcd can read. `knownEtcdCompaction` remembers
// the highest value seen (compactions only move it up; others may compact the same etcd); one read at that
// revision confirms it, else a binary search between it and the current revision finds the new one.
//
// The store compacts etcd one revision below what it is asked (see `EtcdStore`): the store's compacted
// revision is etcd's + 1, or 1 while etcd never compacted past revision 1. (So `compact(upTo: 2)` does
// nothing: revision 1 is the empty store, which has no history to discard.)

extension EtcdStore {
    public func compactedRevision() async throws -> Revision {
        Self.storeCompaction(ofEtcdCompaction: try await etcdCompaction())
    }

    public func compact(upTo revision: Revision) async throws {
        let current = try await currentRevision()
        guard revision <= current else { throw StoreError.futureRevision(requested: revision, current: current) }
        let etcdRevision = revision - 1
        guard etcdRevision > knownEtcdCompaction.withLock({ $0 }) else { return }
        let request = Etcdserverpb_CompactionRequest.with {
            $0.revision = etcdRevision
            $0.physical = true
        }
        do {
            _ = try await unmappedCall(idempotent: true) { client in
                try await Etcdserverpb_KV.Client(wrapping: client).compact(request, options: self.callOptions)
            }
        } catch where EtcdRPCFailure(error) == .compacted {
            // etcd was compacted this far or further already.
        } catch {
            throw await storeError(for: error, requested: revision)
        }
        noteEtcdCompaction(etcdRevision)
    }

    /// The store's compacted revision when etcd's oldest readable revision is `etcdRevision`.
    static func storeCompaction(ofEtcdCompaction etcdRevision: Revision) -> Revision {
        etcdRevision > 1 ? etcdRevision + 1 : 1
    }

    /// The smallest revision etcd can still read.
    func etcdCompaction() async throws -> Revision {
        let known = knownEtcdCompaction.withLock { $0 }
        if try await isReadable(known) { return known }
        var low = known + 1
        var high = try await currentRevision()
        while low < high {
            let middle = low + (high - low) / 2
            if try await isReadable(middle) { high = middle } else { low = middle + 1 }
        }
        noteEtcdCompaction(low)
        return low
    }

    /// Records that etcd can no longer read revisions below `etcdRevision`.
    func noteEtcdCompaction(_ etcdRevision: Revision) {
        knownEtcdCompaction.withLock { $0 = max($0, etcdRevision) }
    }

    /// Whether etcd can still read `revision` (false when compacted away; a future revision throws).
    func isReadable(_ revision: Revision) async throws -> Bool {
        do {
            _ = try await unmappedCall(idempotent: true) { client in
                try await Etcdserverpb_KV.Client(wrapping: client).range(.probe(revision: revision),
                                                                         options: self.callOptions)
            }
            return true
        } catch where EtcdRPCFailure(error) == .compacted {
            return false
        } catch {
            throw await storeError(for: error, requested: revision)
        }
    }

    /// A read of the store as it was at `revision`. Refused with `.compacted` below the store's compacted
    /// revision: besides `revision`, it reads `revision − 1` in the same transaction, which etcd refuses
    /// exactly then.
    func rangeAtRevision(_ request: Etcdserverpb_RangeRequest) async throws -> Etcdserverpb_RangeResponse {
        let revision = request.revision
        let knownCompaction = Self.storeCompaction(ofEtcdCompaction: knownEtcdCompaction.withLock { $0 })
        if revision < knownCompaction {
            throw StoreError.compacted(requested: revision, compactedRevision: try await compactedRevision())
        }
        guard revision > 1 else { return try await range(request) }
        let response = try await perform(idempotent: true, requested: revision) { client in
            try await Etcdserverpb_KV.Client(wrapping: client).txn(
                .with { $0.success = [.range(.probe(revision: revision - 1)), .range(request)] },
                options: self.callOptions)
        }
        guard response.responses.count == 2 else {
            throw StoreError.unavailable("etcd answered a read of 2 ranges with \(response.responses.count)")
        }
        return response.responses[1].responseRange
    }
}
