import Foundation
import Storage

/// Stored objects are encoded without `metadata.resourceVersion`: the store decides the revision only when
/// it writes. Readers splice the revision in as the first member of the top-level `metadata` object.
///
/// The top-level `metadata` is found by scanning the document's structure (strings with their escapes, and
/// nesting), so it works for any member order and never matches a `metadata` key inside nested values.
enum ResourceVersionSplice {
    /// `data` with `"resourceVersion":"<revision>"` as the first member of its top-level metadata (which is
    /// created when absent).
    static func splice(_ data: Data, revision: Revision) -> Data {
        let insert = Array(#""resourceVersion":""#.utf8) + Array(String(revision).utf8) + [UInt8(ascii: "\"")]
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Data in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let at = topLevelMetadataBody(bytes) else { return fallback(data, revision: revision) }
            var out = Data(capacity: bytes.count + insert.count + 1)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<at]))
            out.append(contentsOf: insert)
            if at < bytes.count, bytes[at] != UInt8(ascii: "}") { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[at...]))
            return out
        }
    }

    /// `data` (an encoding this type spliced) with its resourceVersion replaced by `revision`.
    static func restamp(_ data: Data, revision: Revision) -> Data {
        let prefix = Array(#""resourceVersion":""#.utf8)
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Data in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let at = topLevelMetadataBody(bytes), at + prefix.count <= bytes.count,
                  zip(bytes[at..<(at + prefix.count)], prefix).allSatisfy({ $0 == $1 }) else {
                return splice(data, revision: revision)
            }
            var end = at + prefix.count
            while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += 1 }
            var out = Data(capacity: bytes.count + 8)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<(at + prefix.count)]))
            out.append(contentsOf: Array(String(revision).utf8))
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[end...]))
            return out
        }
    }

    private static let metadataKey = Array("metadata".utf8)

    /// The offset just after the `{` that opens the value of the top-level `metadata` member, or nil when the
    /// document is not an object or has no object-valued `metadata`.
    static func topLevelMetadataBody(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        let open = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        let openArray = UInt8(ascii: "["), closeArray = UInt8(ascii: "]")
        let colon = UInt8(ascii: ":"), comma = UInt8(ascii: ",")
        var i = 0
        let n = bytes.count
        func skipSpace() { while i < n, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 } }
        /// Moves past a string starting at `i` (on its quote); returns the range of its content.
        func skipString() -> Range<Int>? {
            guard i < n, bytes[i] == quote else { return nil }
            i += 1
            let start = i
            while i < n {
                if bytes[i] == backslash { i += 2; continue }
                if bytes[i] == quote { i += 1; return start..<(i - 1) }
                i += 1
            }
            return nil
        }
        /// Moves past any value starting at `i`.
        func skipValue() -> Bool {
            skipSpace()
            guard i < n else { return false }
            if bytes[i] == quote { return skipString() != nil }
            if bytes[i] == open || bytes[i] == openArray {
                var depth = 0
                while i < n {
                    let c = bytes[i]
                    if c == quote {
                        guard skipString() != nil else { return false }
                        continue
                    }
                    if c == open || c == openArray { depth += 1 } else if c == close || c == closeArray {
                        depth -= 1
                        if depth == 0 { i += 1; return true }
                    }
                    i += 1
                }
                return false
            }
            while i < n, bytes[i] != comma, bytes[i] != close, bytes[i] != closeArray { i += 1 }
            return true
        }

        skipSpace()
        guard i < n, bytes[i] == open else { return nil }
        i += 1
        while true {
            skipSpace()
            guard i < n else { return nil }
            if bytes[i] == close { return nil }
            guard let key = skipString() else { return nil }
            skipSpace()
            guard i < n, bytes[i] == colon else { return nil }
            i += 1
            skipSpace()
            if key.count == metadataKey.count, i < n, bytes[i] == open,
               zip(bytes[key], metadataKey).allSatisfy({ $0 == $1 }) {
                return i + 1
            }
            guard skipValue() else { return nil }
            skipSpace()
            guard i < n else { return nil }
            if bytes[i] == comma { i += 1 } else { return nil }
        }
    }

    /// Documents without an object-valued `metadata`: decode, set, encode.
    private static func fallback(_ data: Data, revision: Revision) -> Data {
        guard var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return data }
        var meta = object["metadata"] as? [String: Any] ?? [:]
        meta["resourceVersion"] = String(revision)
        object["metadata"] = meta
        return (try? JSONSerialization.data(withJSONObject: object)) ?? data
    }
}
