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
        var parser = JSONByteParser(bytes: buffer)
        return try parser.parseDocument()
    }

    /// The value as compact JSON (no insignificant whitespace) with object keys sorted by their UTF-8 bytes,
    /// so that equal values always serialise to identical bytes.
    ///
    /// Strings escape `"`, `\` and the control characters below U+0020 (`\n`, `\t`… or `\u00XX`) and
    /// nothing else. Doubles are written in Swift's shortest round-tripping form (`0.5`, `1e-07`, `2.0`:
    /// a double stays a double when parsed back); non-finite doubles, which JSON cannot express, are
    /// written as `null`.
    public func serialized() -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        JSONValue.write(self, to: &out)
        return Data(out)
    }

    /// `serialized()` as a `String`.
    public func serializedString() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        JSONValue.write(self, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func write(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .null:
            out.append(contentsOf: "null".utf8)
        case .bool(let b):
            out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i):
            out.append(contentsOf: String(i).utf8)
        case .double(let d):
            if d.isFinite {
                out.append(contentsOf: d.description.utf8)
            } else {
                out.append(contentsOf: "null".utf8)
            }
        case .string(let s):
            writeString(s, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted(by: JSONValue.keyPrecedes).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                write(members[key]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Byte-wise (UTF-8, hence code point) order of object keys, as Go sorts map keys.
    static func keyPrecedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""):
                out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "\\"))
            case 0x0A:
                out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D:
                out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09:
                out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 0x08:
                out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "b"))
            case 0x0C:
                out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "f"))
            case 0x00..<0x20:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// A recursive-descent JSON parser over UTF-8 bytes.
private struct JSONByteParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws(JSONParsingError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue(context: "looking for beginning of value")
        skipWhitespace()
        if position < bytes.count {
            throw invalidCharacter("after top-level value")
        }
        return value
    }

    // MARK: Errors

    private func describe(_ byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "'"): return "'\\''"
        case UInt8(ascii: "\""): return "'\"'"
        case 0x0A: return "'\\n'"
        case 0x0D: return "'\\r'"
        case 0x09: return "'\\t'"
        case 0x00..<0x20, 0x7F...:
            let hex = String(byte, radix: 16, uppercase: false)
            return "'\\x" + (hex.count < 2 ? "0" + hex : hex) + "'"
        default: return "'" + String(UnicodeScalar(byte)) + "'"
        }
    }

    private func invalidCharacter(_ context: String) -> JSONParsingError {
        guard position < bytes.count else { return endOfInput() }
        return JSONParsingError(message: "invalid character \(describe(bytes[position])) \(context)", offset: position)
    }

    private func endOfInput() -> JSONParsingError {
        JSONParsingError(message: "unexpected end of JSON input", offset: bytes.count)
    }

    // MARK: Lexing

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func expectLiteral(_ literal: StaticString, value: JSONValue) throws(JSONParsingError) -> JSONValue {
        let count = literal.utf8CodeUnitCount
        let start = literal.utf8Start
        for offset in 0..<count {
            guard position < bytes.count else { throw endOfInput() }
            if bytes[position] != start[offset] {
                throw invalidCharacter("in literal \(String(describing: literal)) (expecting '\(String(UnicodeScalar(start[offset])))')")
            }
            position += 1
        }
        return value
    }

    // MARK: Values

    private mutating func parseValue(context: String) throws(JSONParsingError) -> JSONValue {
        guard position < bytes.count else { throw endOfInput() }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try expectLiteral("true", value: .bool(true))
        case UInt8(ascii: "f"): return try expectLiteral("false", value: .bool(false))
        case UInt8(ascii: "n"): return try expectLiteral("null", value: .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw invalidCharacter(context)
        }
    }

    private mutating func enterContainer() throws(JSONParsingError) {
        depth += 1
        if depth > JSONValue.maximumNestingDepth {
            throw JSONParsingError(
                message: "exceeded max depth of \(JSONValue.maximumNestingDepth)", offset: position)
        }
    }

    private mutating func parseObject() throws(JSONParsingError) -> JSONValue {
        try enterContainer()
        position += 1  // {
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        guard position < bytes.count else { throw endOfInput() }
        if bytes[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw endOfInput() }
            guard bytes[position] == UInt8(ascii: "\"") else {
                throw invalidCharacter("looking for beginning of object key string")
            }
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count else { throw endOfInput() }
            guard bytes[position] == UInt8(ascii: ":") else { throw invalidCharacter("after object key") }
            position += 1
            skipWhitespace()
            members[key] = try parseValue(context: "looking for beginning of value")
            skipWhitespace()
            guard position < bytes.count else { throw endOfInput() }
            switch bytes[position] {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "}"):
                position += 1
                depth -= 1
                return .object(members)
            default:
                throw invalidCharacter("after object key:value pair")
            }
        }
    }

    private mutating func parseArray() throws(JSONParsingError) -> JSONValue {
        try enterContainer()
        position += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        guard position < bytes.count else { throw endOfInput() }
        if bytes[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(context: "looking for beginning of value"))
            skipWhitespace()
            guard position < bytes.count else { throw endOfInput() }
            switch bytes[position] {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "]"):
                position += 1
                depth -= 1
                return .array(elements)
            default:
                throw invalidCharacter("after array element")
            }
        }
    }

    private mutating func parseString() throws(JSONParsingError) -> String {
        position += 1  // opening quote
        let start = position
        // Fast path: no escapes.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw invalidCharacter("in string literal") }
            position += 1
        }
        guard position < bytes.count else { throw endOfInput() }
        // Slow path: unescape into a byte buffer.
        var buffer = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { throw endOfInput() }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): buffer.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"):
                    let scalar = try parseUnicodeEscape()
                    buffer.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    position -= 1
                    throw invalidCharacter("in string escape code")
                }
            case 0x00..<0x20:
                throw invalidCharacter("in string literal")
            default:
                buffer.append(byte)
                position += 1
            }
        }
        throw endOfInput()
    }

    /// Reads the four hex digits after `\u` (and a following `\uXXXX` low surrogate when the first is a
    /// high surrogate), returning the scalar, or U+FFFD for an unpaired surrogate.
    private mutating func parseUnicodeEscape() throws(JSONParsingError) -> Unicode.Scalar {
        let first = try parseHex4()
        if (0xD800..<0xDC00).contains(first) {
            // A high surrogate: combine with a following low surrogate escape if there is one.
            if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                let save = position
                position += 2
                let second = try parseHex4()
                if (0xDC00..<0xE000).contains(second) {
                    let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                    return Unicode.Scalar(combined) ?? "\u{FFFD}"
                }
                position = save
            }
            return "\u{FFFD}"
        }
        return Unicode.Scalar(first) ?? "\u{FFFD}"
    }

    private mutating func parseHex4() throws(JSONParsingError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < bytes.count else { throw endOfInput() }
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw invalidCharacter("in \\u hexadecimal character escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private mutating func parseNumber() throws(JSONParsingError) -> JSONValue {
        let start = position
        var isInteger = true
        if bytes[position] == UInt8(ascii: "-") {
            position += 1
            guard position < bytes.count else { throw endOfInput() }
            guard isDigit(bytes[position]) else { throw invalidCharacter("in numeric literal") }
        }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard position < bytes.count else { throw endOfInput() }
            guard isDigit(bytes[position]) else { throw invalidCharacter("after decimal point in numeric literal") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            guard position < bytes.count else { throw endOfInput() }
            if bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
                guard position < bytes.count else { throw endOfInput() }
            }
            guard isDigit(bytes[position]) else { throw invalidCharacter("in exponent of numeric literal") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        if isInteger, let int = Int64(text) {
            return .int(int)
        }
        guard let double = Double(text) else {
            throw JSONParsingError(message: "invalid number \(text)", offset: start)
        }
        return .double(double)
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
