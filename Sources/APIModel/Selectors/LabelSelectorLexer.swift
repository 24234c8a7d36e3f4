/// The tokens of Kubernetes' label selector syntax.
enum LabelSelectorToken: Equatable {
    case endOfString, openParenthesis, closedParenthesis, comma
    case doesNotExist, equals, doubleEquals, notEquals, greaterThan, lessThan
    case `in`, notIn, identifier
}

/// A token and the text it was read from (empty at the end of the string).
struct ScannedToken {
    var token: LabelSelectorToken
    var literal: String
}

/// Splits a label selector into tokens, byte by byte, as Kubernetes' lexer does:
/// whitespace is space, tab, CR and LF; `=`, `!`, `(`, `)`, `,`, `>`, `<` form
/// operators (`==` and `!=` being the only two-byte ones); any other run of bytes is
/// an identifier, or the keyword `in` / `notin`. A NUL byte reads as the end of the
/// string, where a token would start.
struct LabelSelectorLexer {
    private let bytes: [UInt8]
    private var position = 0

    init(_ string: String) {
        bytes = Array(string.utf8)
    }

    /// All tokens, ending with `.endOfString`.
    mutating func scanAll() -> [ScannedToken] {
        var tokens: [ScannedToken] = []
        while true {
            let next = self.next()
            tokens.append(next)
            if next.token == .endOfString { return tokens }
        }
    }

    private mutating func next() -> ScannedToken {
        var byte = read()
        while Self.isWhitespace(byte) { byte = read() }
        if byte == 0 { return ScannedToken(token: .endOfString, literal: "") }
        unread()
        return Self.isSpecial(byte) ? scanOperator() : scanIdentifierOrKeyword()
    }

    private mutating func scanIdentifierOrKeyword() -> ScannedToken {
        var literal: [UInt8] = []
        while true {
            let byte = read()
            if byte == 0 { break }
            if Self.isSpecial(byte) || Self.isWhitespace(byte) {
                unread()
                break
            }
            literal.append(byte)
        }
        let text = String(decoding: literal, as: UTF8.self)
        switch text {
        case "in": return ScannedToken(token: .in, literal: text)
        case "notin": return ScannedToken(token: .notIn, literal: text)
        default: return ScannedToken(token: .identifier, literal: text)
        }
    }

    private mutating func scanOperator() -> ScannedToken {
        let first = read()
        if first == UInt8(ascii: "=") || first == UInt8(ascii: "!") {
            if position < bytes.count, bytes[position] == UInt8(ascii: "=") {
                position += 1
                return first == UInt8(ascii: "=")
                    ? ScannedToken(token: .doubleEquals, literal: "==")
                    : ScannedToken(token: .notEquals, literal: "!=")
            }
        }
        let token: LabelSelectorToken = switch first {
        case UInt8(ascii: "="): .equals
        case UInt8(ascii: "!"): .doesNotExist
        case UInt8(ascii: "("): .openParenthesis
        case UInt8(ascii: ")"): .closedParenthesis
        case UInt8(ascii: ","): .comma
        case UInt8(ascii: ">"): .greaterThan
        default: .lessThan
        }
        return ScannedToken(token: token, literal: String(UnicodeScalar(first)))
    }

    /// The next byte, or 0 at the end (without moving past the end).
    private mutating func read() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func unread() {
        position -= 1
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
            || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
    }

    private static func isSpecial(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "("), UInt8(ascii: ")"),
             UInt8(ascii: ","), UInt8(ascii: ">"), UInt8(ascii: "<"):
            return true
        default:
            return false
        }
    }
}
