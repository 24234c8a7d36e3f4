import Foundation

/// The etcd key range `[start, end)` of a prefix listing or watch: keys are the UTF-8 bytes of the store's
/// key strings, so byte order and byte prefixes are the store contract's.
struct EtcdKeyRange: Equatable {
    var start: Data
    /// Exclusive end; `[0]` means "every key from `start` on" (etcd's convention).
    var end: Data
}

extension EtcdKeyRange {
    /// Every key that starts with `prefix`; continuing strictly after `after` when given (a page's last key).
    init(prefix: String, after: String? = nil) {
        let prefixBytes = Data(prefix.utf8)
        // etcd refuses an empty key: "\0" is the smallest non-empty key, and every key is >= it.
        var start = prefixBytes.isEmpty ? Data([0]) : prefixBytes
        if let after {
            // The smallest key strictly greater than `after`.
            let next = Data(after.utf8) + [0]
            if !next.lexicographicallyPrecedes(start) { start = next }
        }
        self.start = start
        self.end = Self.prefixEnd(prefixBytes)
    }

    /// The first key after every key with the prefix: the prefix with its last byte below 0xff incremented
    /// and what follows dropped; `[0]` (no end) when there is none (empty prefix, or only 0xff bytes).
    static func prefixEnd(_ prefix: Data) -> Data {
        var bytes = [UInt8](prefix)
        while let last = bytes.last {
            if last < 0xff {
                bytes[bytes.count - 1] = last + 1
                return Data(bytes)
            }
            bytes.removeLast()
        }
        return Data([0])
    }
}

extension String {
    /// The store key of etcd key bytes (keys are written by this store, from strings).
    init(etcdKey: Data) {
        self.init(decoding: etcdKey, as: UTF8.self)
    }
}
