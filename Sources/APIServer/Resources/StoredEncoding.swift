import APIModel
import Foundation

/// How objects are encoded for the store: sorted keys and unescaped slashes, so that equal objects have
/// equal bytes (the watch cache and "unchanged" checks rely on it).
enum StoredEncoding {
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        try ModelJSON.encode(value)
    }
}
