/// Go's `strconv.Quote` (`%q`), which the kubelet uses for downwardAPI label and annotation values.
///
/// Contract: wraps in double quotes; escapes `"` and `\`, `\a \b \f \n \r \t \v`, other ASCII controls and DEL
/// as `\xNN`, and non-printable scalars (Go's `unicode.IsPrint`: controls, format, private-use, unassigned,
/// line/paragraph separators, spaces other than U+0020) as `\uNNNN` or `\UNNNNNNNN`; everything else is kept.
enum GoQuote {
    static func quote(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else if !isPrintable(scalar) {
                    out += scalar.value < 0x10000 ? "\\u" + hex(scalar.value, width: 4) : "\\U" + hex(scalar.value, width: 8)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
             .spaceSeparator:
            return false
        default:
            return true
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
