import Foundation

/// How every store orders and matches keys: as UTF-8 byte strings (what etcd and SQLite's BINARY
/// collation do), not by Swift's Unicode-aware `String` comparison.
package enum KeyOrder {
    /// True when `a` sorts before `b` byte-wise.
    package static func less(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// True when the UTF-8 bytes of `key` start with those of `prefix` (an empty prefix matches every key).
    package static func hasPrefix(_ key: String, _ prefix: String) -> Bool {
        key.utf8.starts(with: prefix.utf8)
    }

    /// The exclusive upper bound of the keys having `prefix`: its bytes followed by 0xFF, a byte that never
    /// occurs in UTF-8, so `prefix <= key < bound` holds exactly for the keys with that prefix. Nil for an
    /// empty prefix (no upper bound).
    package static func prefixUpperBound(_ prefix: String) -> Data? {
        guard !prefix.isEmpty else { return nil }
        var bytes = Data(prefix.utf8)
        bytes.append(0xFF)
        return bytes
    }
}
