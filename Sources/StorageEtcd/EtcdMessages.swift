import Foundation
import Storage

// Building etcd requests and reading etcd responses: the store's operations in etcd's vocabulary.

extension KeyValue {
    /// The store's key-value of an etcd key-value.
    init(_ kv: Mvccpb_KeyValue) {
        self.init(key: String(etcdKey: kv.key), value: kv.value, createRevision: kv.createRevision,
                  modRevision: kv.modRevision)
    }
}

extension Etcdserverpb_RangeRequest {
    /// The keys of `range` at `revision` (0: the newest), at most `limit` of them (0: all), in key order.
    static func keys(in range: EtcdKeyRange, revision: Revision = 0, limit: Int64 = 0) -> Self {
        .with {
            $0.key = range.start
            $0.rangeEnd = range.end
            $0.revision = revision
            $0.limit = limit
        }
    }

    /// One key, at the newest revision.
    static func key(_ key: String) -> Self {
        .with { $0.key = Data(key.utf8) }
    }

    /// A read of nothing at `revision` (0: the newest): whether that revision can be read, and the header.
    static func probe(revision: Revision = 0) -> Self {
        .with {
            $0.key = Data([0])
            $0.revision = revision
            $0.countOnly = true
        }
    }
}

extension Etcdserverpb_Compare {
    /// The key exists (etcd's `version` of an absent key is 0).
    static func exists(_ key: String) -> Self {
        comparing(key, .version, .greater, .version(0))
    }

    /// The key is absent (it has no creation revision).
    static func absent(_ key: String) -> Self {
        comparing(key, .create, .equal, .createRevision(0))
    }

    /// The key was last written at `revision`.
    static func modified(_ key: String, at revision: Revision) -> Self {
        comparing(key, .mod, .equal, .modRevision(revision))
    }

    private static func comparing(_ key: String, _ target: CompareTarget, _ result: CompareResult,
                                  _ operand: OneOf_TargetUnion) -> Self {
        .with {
            $0.key = Data(key.utf8)
            $0.target = target
            $0.result = result
            $0.targetUnion = operand
        }
    }

    /// Comparisons for an update or delete: the key exists and, when given, was last written at `expected`.
    static func presence(of key: String, expectedRevision expected: Revision?) -> [Etcdserverpb_Compare] {
        [.exists(key)] + (expected.map { [.modified(key, at: $0)] } ?? [])
    }
}

extension Etcdserverpb_RequestOp {
    static func put(_ key: String, value: Data) -> Self {
        .with {
            $0.requestPut = .with {
                $0.key = Data(key.utf8)
                $0.value = value
                $0.prevKv = true
            }
        }
    }

    static func delete(_ key: String) -> Self {
        .with {
            $0.requestDeleteRange = .with {
                $0.key = Data(key.utf8)
                $0.prevKv = true
            }
        }
    }

    static func range(_ request: Etcdserverpb_RangeRequest) -> Self {
        .with { $0.requestRange = request }
    }
}
