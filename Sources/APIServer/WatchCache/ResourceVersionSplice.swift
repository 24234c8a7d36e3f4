import Foundation
import Storage

/// Stored objects are encoded without `metadata.resourceVersion`: the store decides the revision only when
/// it writes. Readers splice the revision in, right after the opening of the top-level `metadata` object,
/// which Skiff's encoders always write third, after `kind` and `apiVersion`.
enum ResourceVersionSplice {
    private static let marker = Array(#""metadata":{"#.utf8)

    /// `data` with `"resourceVersion":"<revision>"` as the first member of its top-level metadata.
    static func splice(_ data: Data, revision: Revision) -> Data {
        let insert = Array(#""resourceVersion":""#.utf8) + Array(String(revision).utf8) + [UInt8(ascii: "\"")]
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Data in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let at = metadataBodyStart(bytes) else { return fallback(data, revision: revision) }
            var out = Data(capacity: bytes.count + insert.count + 1)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<at]))
            out.append(contentsOf: insert)
            if at < bytes.count, bytes[at] != UInt8(ascii: "}") { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[at...]))
            return out
        }
    }

    /// The offset just after the top-level `"metadata":{`, if it appears within the object's first members
    /// (`kind` and `apiVersion` are plain strings, so the first occurrence is the top-level one).
    private static func metadataBodyStart(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let limit = min(bytes.count - marker.count, 512)
        guard limit >= 0 else { return nil }
        var i = 0
        while i <= limit {
            if bytes[i] == marker[0] {
                var j = 1
                while j < marker.count, bytes[i + j] == marker[j] { j += 1 }
                if j == marker.count { return i + marker.count }
            }
            i += 1
        }
        return nil
    }

    /// Objects not written by Skiff's encoder: decode, set, encode.
    private static func fallback(_ data: Data, revision: Revision) -> Data {
        guard var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return data }
        var meta = object["metadata"] as? [String: Any] ?? [:]
        meta["resourceVersion"] = String(revision)
        object["metadata"] = meta
        return (try? JSONSerialization.data(withJSONObject: object)) ?? data
    }
}
