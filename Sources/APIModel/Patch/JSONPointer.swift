/// A JSON Pointer (RFC 6901): a path into a JSON document such as `/spec/containers/0/image`.
///
/// `""` is the whole document. Each `/`-separated reference token names an object member or, in an array,
/// an index; `~1` stands for `/` and `~0` for `~` in a token.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The unescaped reference tokens, outermost first; empty for the whole document.
    public let tokens: [String]

    /// A pointer made of already unescaped tokens.
    public init(tokens: [String]) {
        self.tokens = tokens
    }

    /// Parses the textual form. Throws `.operationFailed` (what a bad path in a JSON patch is) when the text
    /// is neither empty nor starts with `/`, or when a `~` is not followed by `0` or `1`.
    public init(_ text: String) throws(PatchError) {
        if text.isEmpty {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else {
            throw PatchError(.operationFailed, "invalid JSON pointer \"\(text)\": must be empty or start with \"/\"")
        }
        var parsed: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard raw.contains("~") else {
                parsed.append(String(raw))
                continue
            }
            var token = ""
            var iterator = raw.makeIterator()
            while let character = iterator.next() {
                guard character == "~" else {
                    token.append(character)
                    continue
                }
                switch iterator.next() {
                case "0": token.append("~")
                case "1": token.append("/")
                default:
                    throw PatchError(.operationFailed, "invalid JSON pointer \"\(text)\": \"~\" must be followed by \"0\" or \"1\"")
                }
            }
            parsed.append(token)
        }
        tokens = parsed
    }

    /// The textual form, tokens escaped.
    public var description: String {
        tokens.map { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }
            .joined()
    }

    /// Whether the pointer designates the whole document.
    public var isRoot: Bool { tokens.isEmpty }

    /// The pointer to the container of the designated value; nil for the whole document.
    public var parent: JSONPointer? {
        tokens.isEmpty ? nil : JSONPointer(tokens: Array(tokens.dropLast()))
    }

    /// Whether `self` designates a value strictly inside the value `other` designates.
    public func isProperDescendant(of other: JSONPointer) -> Bool {
        tokens.count > other.tokens.count && Array(tokens.prefix(other.tokens.count)) == other.tokens
    }

    /// The value designated in `document`, or nil when there is none.
    public func evaluate(in document: JSONValue) -> JSONValue? {
        var current = document
        for token in tokens {
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let elements):
                guard let index = JSONPointer.existingIndex(token, count: elements.count) else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }

    /// The array index a token designates among `count` existing elements, or nil. Accepts what
    /// evanphx/json-patch (Kubernetes' implementation) accepts: decimal integers, negative ones counting
    /// from the end (`-1` is the last element). `-` designates no existing element.
    static func existingIndex(_ token: String, count: Int) -> Int? {
        guard let index = parseIndex(token) else { return nil }
        let resolved = index < 0 ? index + count : index
        return (0..<count).contains(resolved) ? resolved : nil
    }

    /// The integer a token spells (optional sign, decimal digits), or nil.
    static func parseIndex(_ token: String) -> Int? {
        guard !token.isEmpty, token != "-", token != "+" else { return nil }
        return Int(token)
    }
}
