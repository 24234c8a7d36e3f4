/// Renderings of values the way Kubernetes' Go code prints them inside error
/// messages, so our messages match its byte for byte.
package enum GoFormatting {
    /// Go's `%q` (`strconv.Quote`): double quotes, backslash escapes for `"` and `\`,
    /// C escapes for control characters, `\u` escapes for other non-printable runes.
    package static func quoted(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case _ where isPrintable(scalar): result.unicodeScalars.append(scalar)
            case "\u{07}": result += "\\a"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{0B}": result += "\\v"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                result += "\\x" + hex(scalar.value, digits: 2)
            case _ where scalar.value < 0x10000:
                result += "\\u" + hex(scalar.value, digits: 4)
            default:
                result += "\\U" + hex(scalar.value, digits: 8)
            }
        }
        return result + "\""
    }

    /// Go's `encoding/json` rendering of a `[]string` that Kubernetes built by
    /// appending to a nil slice: `null` when empty, else `["a","b"]`.
    static func jsonArray(_ values: [String]) -> String {
        guard !values.isEmpty else { return "null" }
        return "[" + values.map(jsonString).joined(separator: ",") + "]"
    }

    /// Go's `encoding/json` string encoding, HTML-safe escapes included.
    static func jsonString(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                result += "\\u" + hex(scalar.value, digits: 4)
            case _ where scalar.value < 0x20:
                result += "\\u" + hex(scalar.value, digits: 4)
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the
    /// ASCII space.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value >= 0x20 && scalar.value < 0x7F }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark,
             .decimalNumber, .letterNumber, .otherNumber,
             .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation,
             .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}

extension String {
    /// Go's ordering of strings: bytewise over UTF-8. Kubernetes sorts selector keys,
    /// values and terms this way, and the canonical string forms depend on it.
    func precedesBytewise(_ other: String) -> Bool {
        utf8.lexicographicallyPrecedes(other.utf8)
    }
}
