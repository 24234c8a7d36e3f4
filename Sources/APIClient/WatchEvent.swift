import APIModel
import Foundation

/// One event of a watch stream: `{"type": …, "object": …}`.
public enum WatchEvent<Object: Decodable & Sendable>: Sendable {
    case added(Object)
    case modified(Object)
    case deleted(Object)
    /// A BOOKMARK: nothing changed, but the stream has seen everything up to `resourceVersion`.
    case bookmark(resourceVersion: String)
    /// An ERROR event, e.g. 410 Expired when the requested resourceVersion is too old. The server ends the
    /// stream after it.
    case error(Status)

    /// The wire name: `ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK` or `ERROR`.
    public var type: String {
        switch self {
        case .added: "ADDED"
        case .modified: "MODIFIED"
        case .deleted: "DELETED"
        case .bookmark: "BOOKMARK"
        case .error: "ERROR"
        }
    }

    /// The object of an ADDED, MODIFIED or DELETED event; nil for BOOKMARK and ERROR.
    public var object: Object? {
        switch self {
        case .added(let object), .modified(let object), .deleted(let object): object
        case .bookmark, .error: nil
        }
    }
}

extension WatchEvent: Equatable where Object: Equatable {}
extension WatchEvent: Hashable where Object: Hashable {}

/// Why a watch line could not be understood.
public enum WatchStreamError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The event's `type` is none of the five Kubernetes event types.
    case unknownEventType(String)
    /// A line grew past the splitter's limit without a newline.
    case lineTooLong(Int)

    public var description: String {
        switch self {
        case .unknownEventType(let type): "unknown watch event type \"\(type)\""
        case .lineTooLong(let limit): "watch line longer than \(limit) bytes"
        }
    }
}

/// Splits a byte stream, arriving in arbitrary chunks, into newline-terminated lines.
///
/// Contract: every `\n` ends a line; a `\r` right before it is dropped; lines that are empty or only
/// whitespace are skipped (servers may send them as keep-alives). A line may span any number of chunks and
/// a chunk may hold any number of lines. `finish()` returns the bytes after the last newline, if any
/// non-whitespace remains (a stream cut mid-line). A line longer than `maxLineBytes` throws
/// `WatchStreamError.lineTooLong`.
public struct WatchLineSplitter: Sendable {
    public let maxLineBytes: Int
    private var pending: [UInt8] = []

    public init(maxLineBytes: Int = 128 << 20) {
        self.maxLineBytes = maxLineBytes
    }

    /// Adds `chunk` and returns the lines it completes, in order, without their newlines.
    public mutating func append<Bytes: Collection>(_ chunk: Bytes) throws -> [Data] where Bytes.Element == UInt8 {
        if let lines = try chunk.withContiguousStorageIfAvailable({ try append(UnsafeRawBufferPointer($0)) }) {
            return lines
        }
        return try Array(chunk).withUnsafeBytes { try append($0) }
    }

    /// The byte-level split: newlines found with `memchr`, since watch streams carry megabytes of lines.
    private mutating func append(_ chunk: UnsafeRawBufferPointer) throws -> [Data] {
        var lines: [Data] = []
        guard let base = chunk.baseAddress else { return lines }
        var start = 0
        while start < chunk.count,
              let found = memchr(base + start, Int32(UInt8(ascii: "\n")), chunk.count - start) {
            let newline = base.distance(to: UnsafeRawPointer(found))
            let piece = UnsafeRawBufferPointer(rebasing: chunk[start..<newline])
            if pending.isEmpty {
                if let line = Self.line(piece) { lines.append(line) }
            } else {
                pending.append(contentsOf: piece)
                if let line = Self.line(pending) { lines.append(line) }
                pending.removeAll(keepingCapacity: true)
            }
            start = newline + 1
        }
        pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start...]))
        if pending.count > maxLineBytes {
            pending.removeAll()
            throw WatchStreamError.lineTooLong(maxLineBytes)
        }
        return lines
    }

    /// The unterminated last line, if it holds anything but whitespace; clears it.
    public mutating func finish() -> Data? {
        defer { pending.removeAll() }
        return Self.line(pending)
    }

    private static func line<Bytes: Collection>(_ bytes: Bytes) -> Data? where Bytes.Element == UInt8 {
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return nil }
        var data = Data(bytes)
        if data.last == UInt8(ascii: "\r") { data.removeLast() }
        return data
    }
}

/// Decodes one watch line (a JSON object `{"type": …, "object": …}`) into a `WatchEvent`.
public enum WatchEventDecoding {
    /// Decodes `line`. The object of ADDED, MODIFIED and DELETED events is decoded as `Object`; a BOOKMARK's
    /// object contributes only `metadata.resourceVersion`; an ERROR's object is decoded as a `Status`.
    ///
    /// - Throws: `DecodingError` for malformed JSON or objects, `WatchStreamError.unknownEventType` for an
    ///   unknown `type`.
    public static func decode<Object: Decodable & Sendable>(_ line: Data, as type: Object.Type = Object.self,
                                                             decoder: JSONDecoder = JSONDecoder()) throws -> WatchEvent<Object> {
        if let readable = Object.self as? any JSONReadable.Type,
           let (type, any) = fastRead(readable, line, skipsManagedFields: decoder.userInfo[.skipsManagedFields] as? Bool == true),
           let object = any as? Object {
            switch type {
            case "ADDED": return .added(object)
            case "MODIFIED": return .modified(object)
            default: return .deleted(object)
            }
        }
        return try decoder.decode(Envelope<Object>.self, from: line).event
    }

    /// The common line, `{"type":"ADDED|MODIFIED|DELETED","object":{…}}` in that order, read without
    /// `JSONDecoder`; nil for anything else (bookmarks, errors, another member order), which `Envelope` decodes.
    private static func fastRead<T: JSONReadable>(_ type: T.Type, _ line: Data, skipsManagedFields: Bool) -> (String, Any)? {
        let event = ModelJSON.read(from: line, skipsManagedFields: skipsManagedFields) {
            (reader: inout JSONReader) throws(JSONParsingError) -> (String, Any)? in
            try reader.beginObject()
            var first = true
            guard let typeKey = try reader.nextKey(first: &first), case "type" = typeKey else { return nil }
            let kind = try reader.readString()
            guard kind == "ADDED" || kind == "MODIFIED" || kind == "DELETED" else { return nil }
            guard let objectKey = try reader.nextKey(first: &first), case "object" = objectKey else { return nil }
            let object = try T(reading: &reader)
            guard try reader.nextKey(first: &first) == nil else { return nil }
            return (kind, object)
        }
        return event ?? nil
    }

    private struct Envelope<Object: Decodable & Sendable>: Decodable {
        let event: WatchEvent<Object>

        enum CodingKeys: String, CodingKey { case type, object }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let type = try container.decode(String.self, forKey: .type)
            switch type {
            case "ADDED": event = .added(try container.decode(Object.self, forKey: .object))
            case "MODIFIED": event = .modified(try container.decode(Object.self, forKey: .object))
            case "DELETED": event = .deleted(try container.decode(Object.self, forKey: .object))
            case "BOOKMARK":
                let bookmark = try container.decode(Bookmark.self, forKey: .object)
                event = .bookmark(resourceVersion: bookmark.metadata?.resourceVersion ?? "")
            case "ERROR": event = .error(try container.decode(Status.self, forKey: .object))
            default: throw WatchStreamError.unknownEventType(type)
            }
        }
    }

    private struct Bookmark: Decodable {
        struct Metadata: Decodable { var resourceVersion: String? }
        var metadata: Metadata?
    }
}
