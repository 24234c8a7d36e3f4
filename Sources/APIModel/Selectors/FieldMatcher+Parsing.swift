extension FieldMatcher {
    /// Parses Kubernetes' field selector syntax (the `fieldSelector` query
    /// parameter): terms `field=value`, `field==value` or `field!=value` joined by
    /// `,`. The field is everything before the first operator; in the value, `\\`,
    /// `\,` and `\=` stand for `\`, `,` and `=`, which may not appear unescaped.
    /// Empty terms are skipped, the terms are sorted by their text (as Kubernetes
    /// does), and a term with both an empty field and an empty value (`=`) is
    /// dropped; the empty string is ``everything``.
    ///
    /// - Throws: ``SelectorParseError`` worded as Kubernetes words it, e.g.
    ///   `invalid selector: 'a'; can't understand 'a'` or
    ///   `invalid field selector: invalid escape sequence: \x`.
    public static func parse(_ string: String) throws(SelectorParseError) -> FieldMatcher {
        let terms = splitTerms(string).sorted { $0.precedesBytewise($1) }
        var requirements: [FieldRequirement] = []
        for term in terms where !term.isEmpty {
            guard let (field, op, rawValue) = splitTerm(term) else {
                throw SelectorParseError("invalid selector: '\(string)'; can't understand '\(term)'")
            }
            let value = try unescapeValue(rawValue)
            if field.isEmpty && value.isEmpty { continue }
            requirements.append(FieldRequirement(field: field, operator: op, value: value))
        }
        return FieldMatcher(requirements)
    }

    /// Escapes a literal value for use in a field selector: `\` → `\\`, `,` → `\,`,
    /// `=` → `\=` (Kubernetes' `fields.EscapeValue`).
    public static func escapeValue(_ value: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case "\\", ",", "=": escaped += "\\" + String(character)
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// Undoes ``escapeValue(_:)`` (Kubernetes' `fields.UnescapeValue`).
    ///
    /// - Throws: ``SelectorParseError`` for a backslash before anything but `\`, `,`
    ///   or `=` (`invalid field selector: invalid escape sequence: \x`), a trailing
    ///   backslash, or an unescaped `,` or `=` (reported, as Kubernetes reports it,
    ///   by code point: `invalid field selector: unescaped character in value: 61`).
    public static func unescapeValue(_ value: String) throws(SelectorParseError) -> String {
        var unescaped = ""
        var afterBackslash = false
        for scalar in value.unicodeScalars {
            if afterBackslash {
                switch scalar {
                case "\\", ",", "=":
                    unescaped.unicodeScalars.append(scalar)
                default:
                    throw SelectorParseError("invalid field selector: invalid escape sequence: \\\(scalar)")
                }
                afterBackslash = false
                continue
            }
            switch scalar {
            case "\\": afterBackslash = true
            case ",", "=":
                throw SelectorParseError("invalid field selector: unescaped character in value: \(scalar.value)")
            default: unescaped.unicodeScalars.append(scalar)
            }
        }
        if afterBackslash {
            throw SelectorParseError("invalid field selector: invalid escape sequence: \\")
        }
        return unescaped
    }

    /// Splits at commas not preceded by a backslash; escapes stay in the terms.
    private static func splitTerms(_ selector: String) -> [String] {
        guard !selector.isEmpty else { return [] }
        var terms: [String] = []
        var current = ""
        var afterBackslash = false
        for scalar in selector.unicodeScalars {
            if afterBackslash {
                afterBackslash = false
            } else if scalar == "\\" {
                afterBackslash = true
            } else if scalar == "," {
                terms.append(current)
                current = ""
                continue
            }
            current.unicodeScalars.append(scalar)
        }
        terms.append(current)
        return terms
    }

    /// Splits a term at its first operator, trying `!=`, then `==`, then `=` at each
    /// position; the value is returned still escaped.
    private static func splitTerm(_ term: String) -> (String, FieldRequirement.Operator, String)? {
        let bytes = Array(term.utf8)
        let equals = UInt8(ascii: "="), bang = UInt8(ascii: "!")
        for index in bytes.indices {
            let next = index + 1 < bytes.count ? bytes[index + 1] : nil
            let match: (length: Int, op: FieldRequirement.Operator)? = switch bytes[index] {
            case bang where next == equals: (2, .notEquals)
            case equals where next == equals: (2, .equals)
            case equals: (1, .equals)
            default: nil
            }
            if let match {
                let field = String(decoding: bytes[..<index], as: UTF8.self)
                let value = String(decoding: bytes[(index + match.length)...], as: UTF8.self)
                return (field, match.op, value)
            }
        }
        return nil
    }
}
