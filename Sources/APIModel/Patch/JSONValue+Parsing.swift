import Foundation

/// Why a byte sequence is not one JSON value. The messages follow Go's `encoding/json`
/// (`invalid character 'x' looking for beginning of value`, `unexpected end of JSON input`), which is
/// what Kubernetes puts in the 400 `BadRequest` it answers to an unparsable request body.
public struct JSONParsingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The message, without position.
    public let message: String
    /// The byte offset at which the input stopped making sense.
    public let offset: Int

    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { message }
}

extension JSONValue {
    /// The deepest nesting of arrays and objects `init(parsing:)` accepts. Deeper documents are refused
    /// rather than risking the stack of the thread that parses, serialises or patches them; Kubernetes
    /// objects nest a few dozen levels at most.
    public static let maximumNestingDepth = 512

    /// Parses exactly one JSON value (RFC 8259), optionally surrounded by whitespace.
    ///
    /// Numbers written without fraction or exponent that fit in 64 bits become `.int`; every other number
    /// becomes `.double`. `true`/`false` become `.bool` and never numbers. Strings are decoded from UTF-8,
    /// invalid byte sequences and unpaired surrogate escapes becoming U+FFFD (as Go does). When an object
    /// repeats a key, the last occurrence wins (as Go does). Nesting deeper than `maximumNestingDepth` is
    /// refused.
    public init(parsing data: Data) throws(JSONParsingError) {
        let result = data.withUnsafeBytes { raw in
            Result { () throws(JSONParsingError) -> JSONValue in
                try JSONValue.parseDocument(raw.bindMemory(to: UInt8.self))
            }
        }
        self = try result.get()
    }

    /// Parses the UTF-8 of `text` as `init(parsing:)` does.
    public init(parsing text: String) throws(JSONParsingError) {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(JSONParsingError) -> JSONValue in try JSONValue.parseDocument(buffer) }
        }
        self = try result.get()
    }

    private static func parseDocument(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONParsingError) -> JSONValue {
        var reader = JSONReader(bytes: buffer)
        return try reader.readDocument { (reader: inout JSONReader) throws(JSONParsingError) in try reader.readValue() }
    }

    /// The value as compact JSON (no insignificant whitespace) with object keys sorted by their UTF-8 bytes,
    /// so that equal values always serialise to identical bytes.
    ///
    /// Strings escape `"`, `\` and the control characters below U+0020 (`\n`, `\t`… or `\u00XX`) and
    /// nothing else. Doubles are written in Swift's shortest round-tripping form (`0.5`, `1e-07`, `2.0`:
    /// a double stays a double when parsed back); non-finite doubles, which JSON cannot express, are
    /// written as `null`.
    public func serialized() -> Data {
        var writer = JSONWriter()
        writer.write(self)
        return writer.data
    }

    /// `serialized()` as a `String`.
    public func serializedString() -> String {
        var writer = JSONWriter()
        writer.write(self)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Byte-wise (UTF-8, hence code point) order of object keys, as Go sorts map keys.
    static func keyPrecedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
