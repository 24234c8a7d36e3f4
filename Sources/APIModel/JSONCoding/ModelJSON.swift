import Foundation

/// Decoding and encoding of model types, fast: generated `JSONReadable`/`JSONWritable` code reads and writes
/// bytes directly, several times faster than `JSONDecoder`/`JSONEncoder` (whose generic machinery dominated
/// the server's profile).
///
/// Decoding falls back to `JSONDecoder` whenever the fast reading throws, so the result and every error are
/// exactly `JSONDecoder`'s: the fast path only ever answers for documents it reads completely and strictly.
public enum ModelJSON {
    /// Decodes `type` from `data` as `decoder` would (honouring its `skipsManagedFields` and
    /// `unknownFieldCollector` user info).
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, decoder: JSONDecoder = JSONDecoder()) throws -> T {
        if let readable = type as? any JSONReadable.Type {
            let skips = decoder.userInfo[.skipsManagedFields] as? Bool == true
            // A collector wants unknown fields named: the fast path refuses them and the fallback names them.
            let rejects = decoder.userInfo[.unknownFieldCollector] != nil
            if let value = read(readable, from: data, skipsManagedFields: skips, rejectsUnknownFields: rejects) as? T {
                return value
            }
        }
        return try decoder.decode(type, from: data)
    }

    /// The fast reading alone: nil when it cannot read `data` (malformed, a type mismatch, or an unknown field
    /// when `rejectsUnknownFields`).
    public static func read<T: JSONReadable>(_ type: T.Type, from data: Data, skipsManagedFields: Bool = false,
                                             rejectsUnknownFields: Bool = false) -> T? {
        read(from: data, skipsManagedFields: skipsManagedFields, rejectsUnknownFields: rejectsUnknownFields) {
            (reader: inout JSONReader) throws(JSONParsingError) in try T(reading: &reader)
        }
    }

    /// Reads one document with `body` (for envelopes around model types, such as watch events); nil when it
    /// throws or anything but whitespace follows the value.
    public static func read<T>(from data: Data, skipsManagedFields: Bool = false, rejectsUnknownFields: Bool = false,
                               _ body: (inout JSONReader) throws(JSONParsingError) -> T) -> T? {
        data.withUnsafeBytes { raw -> T? in
            var reader = JSONReader(bytes: raw.bindMemory(to: UInt8.self), skipsManagedFields: skipsManagedFields,
                                    rejectsUnknownFields: rejectsUnknownFields)
            return try? reader.readDocument(body)
        }
    }

    /// Encodes `value` compactly with sorted keys and unescaped slashes; through `JSONWritable` when it conforms.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        if let writable = value as? any JSONWritable {
            var writer = JSONWriter()
            writable.write(to: &writer)
            return writer.data
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return try encoder.encode(value)
    }
}
