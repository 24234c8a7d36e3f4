/// A recursive-descent parser of label selectors that follows Kubernetes' parser
/// (`labels.Parse`) decision for decision, so that it accepts the same strings and
/// fails with the same messages.
struct LabelSelectorParser {
    /// Whether `in`/`notin` read as keywords (after a key) or as plain identifiers
    /// (where a key or a value is expected).
    private enum Context {
        case keyAndOperator, values
    }

    /// The binary operators as Kubernetes lists them in its "expected" message.
    private static let binaryOperators = "in, notin, =, ==, !=, gt, lt"

    private let tokens: [ScannedToken]
    private var position = 0

    init(_ string: String) {
        var lexer = LabelSelectorLexer(string)
        tokens = lexer.scanAll()
    }

    /// The requirements in the order written.
    mutating func parse() throws(SelectorParseError) -> [LabelRequirement] {
        var requirements: [LabelRequirement] = []
        while true {
            let (token, literal) = lookahead(.values)
            switch token {
            case .identifier, .doesNotExist:
                do {
                    requirements.append(try parseRequirement())
                } catch {
                    throw SelectorParseError("unable to parse requirement: " + error.message)
                }
                let (next, nextLiteral) = consume(.values)
                switch next {
                case .endOfString:
                    return requirements
                case .comma:
                    let (afterComma, afterCommaLiteral) = lookahead(.values)
                    if afterComma != .identifier && afterComma != .doesNotExist {
                        throw SelectorParseError("found '\(afterCommaLiteral)', expected: identifier after ','")
                    }
                default:
                    throw SelectorParseError("found '\(nextLiteral)', expected: ',' or 'end of string'")
                }
            case .endOfString:
                return requirements
            default:
                throw SelectorParseError("found '\(literal)', expected: !, identifier, or 'end of string'")
            }
        }
    }

    private mutating func parseRequirement() throws(SelectorParseError) -> LabelRequirement {
        let (key, unary) = try parseKeyAndInferOperator()
        if let unary {
            return try LabelRequirement(key: key, operator: unary, values: [])
        }
        let op = try parseOperator()
        let values: Set<String> = switch op {
        case .in, .notIn: try parseValueSet()
        default: try parseExactValue()
        }
        let sorted = values.sorted { $0.precedesBytewise($1) }
        return try LabelRequirement(key: key, operator: op, values: sorted)
    }

    /// Reads `[!] KEY`; returns `.exists` or `.doesNotExist` when the requirement is
    /// unary (a `!`, or nothing but `,` or the end after the key).
    private mutating func parseKeyAndInferOperator() throws(SelectorParseError)
        -> (key: String, unary: LabelRequirement.Operator?) {
        var unary: LabelRequirement.Operator?
        var (token, literal) = consume(.values)
        if token == .doesNotExist {
            unary = .doesNotExist
            (token, literal) = consume(.values)
        }
        guard token == .identifier else {
            throw SelectorParseError("found '\(literal)', expected: identifier")
        }
        let keyErrors = NameValidation.isQualifiedName(literal)
        guard keyErrors.isEmpty else {
            throw SelectorParseError(InvalidFieldValue(
                field: "<nil>", badValue: .string(literal), detail: keyErrors.joined(separator: "; ")
            ).message)
        }
        let next = lookahead(.values).token
        if unary == nil && (next == .endOfString || next == .comma) {
            unary = .exists
        }
        return (literal, unary)
    }

    private mutating func parseOperator() throws(SelectorParseError) -> LabelRequirement.Operator {
        let (token, literal) = consume(.keyAndOperator)
        switch token {
        case .in: return .in
        case .notIn: return .notIn
        case .equals: return .equals
        case .doubleEquals: return .doubleEquals
        case .notEquals: return .notEquals
        case .greaterThan: return .greaterThan
        case .lessThan: return .lessThan
        default: throw SelectorParseError("found '\(literal)', expected: \(Self.binaryOperators)")
        }
    }

    /// Reads `( VALUES )`; `()` is the set holding the empty value.
    private mutating func parseValueSet() throws(SelectorParseError) -> Set<String> {
        let (open, openLiteral) = consume(.values)
        guard open == .openParenthesis else {
            throw SelectorParseError("found '\(openLiteral)' expected: '('")
        }
        let (token, literal) = lookahead(.values)
        switch token {
        case .identifier, .comma:
            let values = try parseValueList()
            guard consume(.values).token == .closedParenthesis else {
                throw SelectorParseError("found '\(literal)', expected: ')'")
            }
            return values
        case .closedParenthesis:
            _ = consume(.values)
            return [""]
        default:
            throw SelectorParseError("found '\(literal)', expected: ',', ')' or identifier")
        }
    }

    /// Reads comma-separated values up to (not including) `)`; a missing value
    /// between, before or after commas is the empty value.
    private mutating func parseValueList() throws(SelectorParseError) -> Set<String> {
        var values = Set<String>()
        while true {
            let (token, literal) = consume(.values)
            switch token {
            case .identifier:
                values.insert(literal)
                let (next, nextLiteral) = lookahead(.values)
                switch next {
                case .comma: continue
                case .closedParenthesis: return values
                default: throw SelectorParseError("found '\(nextLiteral)', expected: ',' or ')'")
                }
            case .comma:
                if values.isEmpty { values.insert("") }
                let next = lookahead(.values).token
                if next == .closedParenthesis {
                    values.insert("")
                    return values
                }
                if next == .comma { values.insert("") }
            default:
                throw SelectorParseError("found '\(literal)', expected: ',', or identifier")
            }
        }
    }

    /// Reads the value after `=`, `==`, `!=`, `>`, `<`; none (`a=`) is the empty value.
    private mutating func parseExactValue() throws(SelectorParseError) -> Set<String> {
        let next = lookahead(.values).token
        if next == .endOfString || next == .comma { return [""] }
        let (token, literal) = consume(.values)
        guard token == .identifier else {
            throw SelectorParseError("found '\(literal)', expected: identifier")
        }
        return [literal]
    }

    private func lookahead(_ context: Context) -> (token: LabelSelectorToken, literal: String) {
        let item = tokens[position]
        return (Self.reading(item.token, in: context), item.literal)
    }

    private mutating func consume(_ context: Context) -> (token: LabelSelectorToken, literal: String) {
        let item = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return (Self.reading(item.token, in: context), item.literal)
    }

    private static func reading(_ token: LabelSelectorToken, in context: Context) -> LabelSelectorToken {
        context == .values && (token == .in || token == .notIn) ? .identifier : token
    }
}
