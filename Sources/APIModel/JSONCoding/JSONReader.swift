import Foundation

/// A cursor over the UTF-8 bytes of one JSON document: the lexer under `JSONValue(parsing:)` and the typed
/// reading of model types (`JSONReadable`), which builds each value straight from the bytes with no
/// intermediate tree and no `Decoder` machinery.
///
/// Errors follow Go's `encoding/json` messages (see `JSONParsingError`). Typed reading is strict: any value of
/// another JSON type than the field's (an integer with a fraction, a string where a number belongs, an
/// unknown field when `rejectsUnknownFields`) throws, and callers fall back to `JSONDecoder`, whose errors
/// name the field (see `ModelJSON`).
public struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var depth = 0
    /// Leave `metadata.managedFields` unread (nil), as caches and informers do.
    public let skipsManagedFields: Bool
    /// Throw at a member no model type knows, instead of skipping it.
    public let rejectsUnknownFields: Bool

    init(bytes: UnsafeBufferPointer<UInt8>, skipsManagedFields: Bool = false, rejectsUnknownFields: Bool = false) {
        self.bytes = bytes
        self.skipsManagedFields = skipsManagedFields
        self.rejectsUnknownFields = rejectsUnknownFields
    }

    /// Reads one value with `read`, then requires that only whitespace follows.
    mutating func readDocument<T>(_ read: (inout JSONReader) throws(JSONParsingError) -> T) throws(JSONParsingError) -> T {
        skipWhitespace()
        let value = try read(&self)
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

    func invalidCharacter(_ context: String) -> JSONParsingError {
        guard position < bytes.count else { return endOfInput() }
        return JSONParsingError(message: "invalid character \(describe(bytes[position])) \(context)", offset: position)
    }

    func endOfInput() -> JSONParsingError {
        JSONParsingError(message: "unexpected end of JSON input", offset: bytes.count)
    }

    /// The error of a well-formed value of the wrong type for the field being read.
    func typeMismatch(_ expected: String) -> JSONParsingError {
        JSONParsingError(message: "expected \(expected)", offset: position)
    }

    // MARK: Lexing

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// The next byte after whitespace, not consumed.
    mutating func peek() throws(JSONParsingError) -> UInt8 {
        skipWhitespace()
        guard position < bytes.count else { throw endOfInput() }
        return bytes[position]
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParsingError) {
        let count = literal.utf8CodeUnitCount
        let start = literal.utf8Start
        for offset in 0..<count {
            guard position < bytes.count else { throw endOfInput() }
            if bytes[position] != start[offset] {
                throw invalidCharacter("in literal \(String(describing: literal)) (expecting '\(String(UnicodeScalar(start[offset])))')")
            }
            position += 1
        }
    }

    private mutating func enterContainer() throws(JSONParsingError) {
        depth += 1
        if depth > JSONValue.maximumNestingDepth {
            throw JSONParsingError(message: "exceeded max depth of \(JSONValue.maximumNestingDepth)", offset: position)
        }
    }

    // MARK: Typed reading

    /// Consumes `null` and returns true, or returns false at any other value.
    public mutating func readNull() throws(JSONParsingError) -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        try expectLiteral("null")
        return true
    }

    /// Reads `T`, or nil for `null`.
    public mutating func readOptional<T: JSONReadable>(_ type: T.Type) throws(JSONParsingError) -> T? {
        if try readNull() { return nil }
        return try T(reading: &self)
    }

    /// Consumes `{`; then call `nextKey(first:)` until it returns nil.
    public mutating func beginObject() throws(JSONParsingError) {
        guard try peek() == UInt8(ascii: "{") else { throw typeMismatch("an object") }
        try enterContainer()
        position += 1
    }

    /// The next member's name with its `:` consumed, or nil after the closing `}`. `first` starts true for
    /// each object and tells whether a `,` must come first.
    public mutating func nextKey(first: inout Bool) throws(JSONParsingError) -> JSONKey? {
        skipWhitespace()
        guard position < bytes.count else { throw endOfInput() }
        if bytes[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return nil
        }
        if first {
            first = false
        } else {
            guard bytes[position] == UInt8(ascii: ",") else { throw invalidCharacter("after object key:value pair") }
            position += 1
            skipWhitespace()
            guard position < bytes.count else { throw endOfInput() }
        }
        guard bytes[position] == UInt8(ascii: "\"") else { throw invalidCharacter("looking for beginning of object key string") }
        let key = try readKey()
        skipWhitespace()
        guard position < bytes.count else { throw endOfInput() }
        guard bytes[position] == UInt8(ascii: ":") else { throw invalidCharacter("after object key") }
        position += 1
        return key
    }

    /// Consumes `[`; then call `nextElement(first:)` before each element until it returns false.
    public mutating func beginArray() throws(JSONParsingError) {
        guard try peek() == UInt8(ascii: "[") else { throw typeMismatch("an array") }
        try enterContainer()
        position += 1
    }

    /// Whether another element follows (its `,` consumed); false after the closing `]`.
    public mutating func nextElement(first: inout Bool) throws(JSONParsingError) -> Bool {
        skipWhitespace()
        guard position < bytes.count else { throw endOfInput() }
        if bytes[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return false
        }
        if first {
            first = false
        } else {
            guard bytes[position] == UInt8(ascii: ",") else { throw invalidCharacter("after array element") }
            position += 1
        }
        return true
    }

    /// Skips the value of a member no model field holds (or throws when `rejectsUnknownFields`).
    public mutating func skipUnknownField() throws(JSONParsingError) {
        if rejectsUnknownFields { throw JSONParsingError(message: "unknown field", offset: position) }
        try skipValue()
    }

    /// Moves past one value without building it, checking it as `readValue()` would.
    public mutating func skipValue() throws(JSONParsingError) {
        switch try peek() {
        case UInt8(ascii: "{"):
            try beginObject()
            var first = true
            while try nextKey(first: &first) != nil { try skipValue() }
        case UInt8(ascii: "["):
            try beginArray()
            var first = true
            while try nextElement(first: &first) { try skipValue() }
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try scanNumber()
        default: throw invalidCharacter("looking for beginning of value")
        }
    }

    /// Moves past a string at its opening quote, checking its escapes and (when not ASCII) its UTF-8.
    private mutating func skipString() throws(JSONParsingError) {
        position += 1
        let start = position
        var ascii = true
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                if !ascii, String(validating: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self) == nil {
                    throw typeMismatch("valid UTF-8")
                }
                position += 1
                return
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { throw endOfInput() }
                switch bytes[position] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 1
                case UInt8(ascii: "u"):
                    position += 1
                    _ = try parseHex4()
                default:
                    throw invalidCharacter("in string escape code")
                }
            case 0x00..<0x20:
                throw invalidCharacter("in string literal")
            default:
                if byte >= 0x80 { ascii = false }
                position += 1
            }
        }
        throw endOfInput()
    }

    public mutating func readString() throws(JSONParsingError) -> String {
        guard try peek() == UInt8(ascii: "\"") else { throw typeMismatch("a string") }
        return try parseString(strictUTF8: true)
    }

    public mutating func readBool() throws(JSONParsingError) -> Bool {
        switch try peek() {
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return true
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return false
        default:
            throw typeMismatch("a boolean")
        }
    }

    /// Reads an integer written without fraction or exponent that fits in `T`.
    public mutating func readInteger<T: FixedWidthInteger & SignedInteger>(_ type: T.Type) throws(JSONParsingError) -> T {
        let byte = try peek()
        guard byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
            throw typeMismatch("an integer")
        }
        let start = position
        let (isInteger, end) = try scanNumber()
        guard isInteger else { throw typeMismatch("an integer") }
        var value: T = 0
        var index = bytes[start] == UInt8(ascii: "-") ? start + 1 : start
        let negative = index != start
        while index < end {
            let digit = T(bytes[index] &- UInt8(ascii: "0"))
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            if overflowA || overflowB { throw typeMismatch("an integer in range") }
            value = next
            index += 1
        }
        return value
    }

    public mutating func readDouble() throws(JSONParsingError) -> Double {
        let byte = try peek()
        guard byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
            throw typeMismatch("a number")
        }
        let start = position
        _ = try scanNumber()
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw typeMismatch("a finite number") }
        return value
    }

    /// The raw text of a number at the cursor (for types that keep a number's spelling).
    public mutating func readNumberText() throws(JSONParsingError) -> (text: String, isInteger: Bool) {
        let byte = try peek()
        guard byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
            throw typeMismatch("a number")
        }
        let start = position
        let (isInteger, _) = try scanNumber()
        return (String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self), isInteger)
    }

    // MARK: Keys

    private mutating func readKey() throws(JSONParsingError) -> JSONKey {
        let start = position + 1
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                position = index + 1
                return JSONKey(raw: UnsafeBufferPointer(rebasing: bytes[start..<index]), unescaped: nil)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { break }
            index += 1
        }
        // Escapes or non-ASCII: the general string path (which validates UTF-8).
        let text = try parseString(strictUTF8: true)
        return JSONKey(raw: UnsafeBufferPointer(start: nil, count: 0), unescaped: text)
    }

    // MARK: Any value

    /// Reads any JSON value as a `JSONValue`.
    public mutating func readValue() throws(JSONParsingError) -> JSONValue {
        try parseValue(context: "looking for beginning of value")
    }

    private mutating func parseValue(context: String) throws(JSONParsingError) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw endOfInput() }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString(strictUTF8: false))
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw invalidCharacter(context)
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
            let key = try parseString(strictUTF8: false)
            skipWhitespace()
            guard position < bytes.count else { throw endOfInput() }
            guard bytes[position] == UInt8(ascii: ":") else { throw invalidCharacter("after object key") }
            position += 1
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

    /// Reads a string at the opening quote. Invalid UTF-8 and unpaired surrogate escapes become U+FFFD (as Go
    /// does), or throw when `strictUTF8` (typed reading, whose fallback decoder refuses them).
    private mutating func parseString(strictUTF8: Bool) throws(JSONParsingError) -> String {
        position += 1  // opening quote
        let start = position
        var ascii = true
        // Fast path: no escapes.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<position])
                position += 1
                return try makeString(raw, ascii: ascii, strictUTF8: strictUTF8)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw invalidCharacter("in string literal") }
            if byte >= 0x80 { ascii = false }
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
                return try buffer.withUnsafeBufferPointer { raw throws(JSONParsingError) in
                    try makeString(raw, ascii: false, strictUTF8: strictUTF8)
                }
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
                    guard let scalar = try parseUnicodeEscape() else {
                        if strictUTF8 { throw typeMismatch("paired surrogates") }
                        buffer.append(contentsOf: [0xEF, 0xBF, 0xBD])  // U+FFFD
                        continue
                    }
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

    private func makeString(_ raw: UnsafeBufferPointer<UInt8>, ascii: Bool, strictUTF8: Bool) throws(JSONParsingError) -> String {
        if ascii || !strictUTF8 { return String(decoding: raw, as: UTF8.self) }
        guard let text = String(validating: raw, as: UTF8.self) else { throw typeMismatch("valid UTF-8") }
        return text
    }

    /// Reads the four hex digits after `\u` (and a following `\uXXXX` low surrogate when the first is a
    /// high surrogate), returning the scalar, or nil for an unpaired surrogate.
    private mutating func parseUnicodeEscape() throws(JSONParsingError) -> Unicode.Scalar? {
        let first = try parseHex4()
        if (0xD800..<0xDC00).contains(first) {
            // A high surrogate: combine with a following low surrogate escape if there is one.
            if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                let save = position
                position += 2
                let second = try parseHex4()
                if (0xDC00..<0xE000).contains(second) {
                    return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
                }
                position = save
            }
            return nil
        }
        return Unicode.Scalar(first)
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

    /// Moves past a number at the cursor; whether it had neither fraction nor exponent, and where it ended.
    private mutating func scanNumber() throws(JSONParsingError) -> (isInteger: Bool, end: Int) {
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
        let integerEnd = position
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
        return (isInteger, integerEnd)
    }

    private mutating func parseNumber() throws(JSONParsingError) -> JSONValue {
        let start = position
        let (isInteger, _) = try scanNumber()
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

/// An object member's name as read: the bytes between its quotes when it has no escapes (valid while the
/// reader's buffer is), else the unescaped text. Generated readers match it against string literals.
public struct JSONKey {
    let raw: UnsafeBufferPointer<UInt8>
    let unescaped: String?

    /// Whether the name is exactly `literal`.
    public static func ~= (literal: StaticString, key: JSONKey) -> Bool {
        if let unescaped = key.unescaped {
            return unescaped.utf8.elementsEqual(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
        }
        let count = literal.utf8CodeUnitCount
        guard key.raw.count == count else { return false }
        if count == 0 { return true }
        return memcmp(key.raw.baseAddress!, literal.utf8Start, count) == 0
    }

    /// The name as a `String` (for map keys).
    public var string: String {
        unescaped ?? String(decoding: raw, as: UTF8.self)
    }
}
