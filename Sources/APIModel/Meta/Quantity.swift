import Foundation

/// Why a string is not a resource quantity. The cases are Kubernetes' three parse
/// errors, and ``message`` is worded exactly as Kubernetes words them, so the API server
/// can return it unchanged.
public enum QuantityParseError: Error, Hashable, Sendable, CustomStringConvertible, LocalizedError {
    /// The text is not a number followed by suffix characters (Kubernetes' `ErrFormatWrong`).
    case formatWrong
    /// The numeric part has no digits where Kubernetes needs some (Kubernetes' `ErrNumeric`).
    case numeric
    /// The suffix is not a known one, nor `e`/`E` and a 32-bit exponent (Kubernetes' `ErrSuffix`).
    case suffix

    /// The Kubernetes message, e.g. `unable to parse quantity's suffix`.
    public var message: String {
        switch self {
        case .formatWrong:
            return "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        case .numeric:
            return "unable to parse numeric part of quantity"
        case .suffix:
            return "unable to parse quantity's suffix"
        }
    }

    public var description: String { message }
    public var errorDescription: String? { message }
}

/// A resource quantity such as `100m`, `512Mi` or `1e3`, as Kubernetes' `resource.Quantity`.
///
/// The value is exact: a sign, an arbitrary-precision integer and a power of ten. No
/// floating point is involved anywhere, in parsing, arithmetic, comparison or printing.
///
/// Parsing follows `resource.ParseQuantity`: an optional sign, digits with an optional
/// fraction, then a suffix, which is binary SI (`Ki` `Mi` `Gi` `Ti` `Pi` `Ei`), decimal SI
/// (`n` `u` `m` none `k` `M` `G` `T` `P` `E`) or a decimal exponent (`e`/`E` and a signed
/// integer of at most 2³¹−1 in magnitude). Digits finer than one nano are rounded up, away
/// from zero, to the next nano (`0.1n` is `1n`; `0.1m` is `100u`, whose ``milliValue`` is 1);
/// binary SI values beyond 2⁶³−1 in magnitude are capped there; nothing else is bounded.
/// The quantity remembers which kind of suffix it had (``format``).
///
/// Printing (``description``, and the JSON encoding) follows Kubernetes' `String()`: when
/// parsing found the text already canonical by Kubernetes' own test, that text is kept;
/// otherwise the canonical form of ``canonicalString`` is produced (`1000m` → `1`,
/// `1.5Gi` → `1536Mi`, `0.5` → `500m`).
///
/// Equality, hashing and ordering are by value only, whatever the format or the text:
/// `Quantity("1000m") == Quantity("1")`.
public struct Quantity: Codable, Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral,
    Comparable {
    /// How a quantity is printed: the kind of suffix it was parsed with, or was given.
    public enum Format: String, Codable, Hashable, Sendable, CaseIterable {
        /// Power-of-ten exponents: `12e6`, `1e-3`.
        case decimalExponent = "DecimalExponent"
        /// Power-of-two suffixes: `12Mi` (12 × 2²⁰).
        case binarySI = "BinarySI"
        /// Power-of-ten suffixes: `12M` (12 × 10⁶), `100m`.
        case decimalSI = "DecimalSI"
    }

    // The value is (isNegative ? -1 : 1) × magnitude × 10^exponent, kept normalized:
    // the magnitude has no trailing decimal zero, and zero is +0 × 10^0. So two equal
    // values have equal fields.
    private var isNegative: Bool
    private var magnitude: QuantityMagnitude
    private var exponent: Int

    /// The text ``description`` prints, when parsing found it canonical (Kubernetes'
    /// cached string). Any change of value or format drops it.
    private var preservedText: String?

    /// The suffix kind used when printing. Setting it drops any text kept from parsing,
    /// so the quantity then prints canonically in the new format.
    public var format: Format {
        didSet { preservedText = nil }
    }

    // MARK: Creating quantities

    /// Zero, in decimal SI format.
    public static let zero = Quantity(negative: false, magnitude: .zero, exponent: 0, format: .decimalSI)

    /// Parses `text` exactly as Kubernetes' `resource.ParseQuantity` does (no surrounding
    /// whitespace is allowed), or throws the error Kubernetes would report.
    public init(parsing text: String) throws(QuantityParseError) {
        self = try QuantityParser.parse(text)
    }

    /// Parses `string` as ``init(parsing:)`` does; nil if it is not a quantity.
    public init?(_ string: String) {
        guard let parsed = try? QuantityParser.parse(string) else { return nil }
        self = parsed
    }

    /// Parses the text of a JSON or YAML string as decoding does: surrounding whitespace trimmed; nil if the
    /// rest is not a quantity.
    init?(jsonText text: String) {
        guard let parsed = try? QuantityParser.parse(QuantityParser.trimmingWhitespace(text)) else { return nil }
        self = parsed
    }

    /// A quantity written in source, e.g. `let cpu: Quantity = "250m"` or `Quantity("1Gi")`.
    /// An invalid literal is a programming error and traps.
    public init(stringLiteral value: String) {
        do {
            self = try QuantityParser.parse(value)
        } catch {
            preconditionFailure("invalid quantity literal \"\(value)\": \(error.message)")
        }
    }

    /// `value` units, as Kubernetes' `NewQuantity(value, format)`.
    public init(_ value: Int64, format: Format = .decimalSI) {
        self.init(scaled: value, scale: 0, format: format)
    }

    /// `value` × 10^`scale`, as Kubernetes' `NewScaledQuantity` (which is always decimal SI).
    public init(scaled value: Int64, scale: Int, format: Format = .decimalSI) {
        self.init(negative: value < 0, magnitude: QuantityMagnitude(value.magnitude), exponent: scale,
                  format: format)
    }

    /// `value` thousandths, as Kubernetes' `NewMilliQuantity`; CPU in millicores:
    /// `Quantity.milli(250)` prints `250m`.
    public static func milli(_ value: Int64, format: Format = .decimalSI) -> Quantity {
        Quantity(scaled: value, scale: -3, format: format)
    }

    /// `value` bytes, as Kubernetes' `NewQuantity(value, BinarySI)` for memory and storage:
    /// `Quantity.bytes(1 << 30)` prints `1Gi`.
    public static func bytes(_ value: Int64, format: Format = .binarySI) -> Quantity {
        Quantity(scaled: value, scale: 0, format: format)
    }

    /// The normalizing memberwise initializer every other one ends in.
    fileprivate init(negative: Bool, magnitude: QuantityMagnitude, exponent: Int, format: Format,
                     preservedText: String? = nil) {
        var magnitude = magnitude
        var exponent = exponent
        if magnitude.isZero {
            exponent = 0
        } else {
            exponent += magnitude.removeTrailingDecimalZeros()
        }
        self.isNegative = negative && !magnitude.isZero
        self.magnitude = magnitude
        self.exponent = exponent
        self.format = format
        self.preservedText = preservedText
    }

    // MARK: Reading the value

    /// Whether the value is zero.
    public var isZero: Bool { magnitude.isZero }

    /// -1, 0 or 1 as the value is negative, zero or positive.
    public func signum() -> Int {
        magnitude.isZero ? 0 : (isNegative ? -1 : 1)
    }

    /// The value in units, rounded away from zero to an integer (`1500m` → 2, `-1500m` → -2),
    /// as Kubernetes' `Value()`. Saturates at `Int64.min`/`Int64.max` where Kubernetes overflows.
    public var value: Int64 { scaledValue(scale: 0) }

    /// The value in thousandths, rounded away from zero (`0.1m` → 1), as Kubernetes'
    /// `MilliValue()`; CPU in millicores. Saturates at `Int64.min`/`Int64.max`.
    public var milliValue: Int64 { scaledValue(scale: -3) }

    /// The value in units of 10^`scale`, rounded away from zero, as Kubernetes'
    /// `ScaledValue(scale)`: `Quantity(1).scaledValue(scale: -3)` is 1000.
    /// Saturates at `Int64.min`/`Int64.max` where Kubernetes overflows.
    public func scaledValue(scale: Int) -> Int64 {
        if magnitude.isZero { return 0 }
        let shift = exponent - scale
        var result = magnitude
        if shift >= 0 {
            // More than 20 digits cannot fit; stop before materializing a huge power of ten.
            if magnitude.decimalDigitCount + shift > 20 { return isNegative ? .min : .max }
            result.multiply(byPowerOfTen: shift)
        } else {
            result.divideRoundingUp(byPowerOfTen: -shift)
        }
        guard let small = result.uint64Value else { return isNegative ? .min : .max }
        if isNegative {
            return small >= UInt64(1) << 63 ? .min : -Int64(small)
        }
        return small > UInt64(Int64.max) ? .max : Int64(small)
    }

    /// The value rounded away from zero to a multiple of 10^`scale`, and whether that lost
    /// nothing, as Kubernetes' `RoundUp(scale)` (`9.01` to scale -1 is `9.1`, inexact).
    public func roundedUp(toScale scale: Int) -> (quantity: Quantity, exact: Bool) {
        if magnitude.isZero || exponent >= scale { return (self, true) }
        var result = magnitude
        let exact = result.divideRoundingUp(byPowerOfTen: scale - exponent)
        return (Quantity(negative: isNegative, magnitude: result, exponent: scale, format: format), exact)
    }

    // MARK: Printing

    /// The text Kubernetes' `String()` gives, which is also what encoding writes: the parsed
    /// text when Kubernetes found it canonical, else ``canonicalString``.
    public var description: String { preservedText ?? canonicalString }

    /// The canonical form, as Kubernetes' `CanonicalizeBytes`: the largest suffix of the
    /// quantity's format that leaves an integer (`1.5Gi` → `1536Mi`, `1.1` → `1100m`,
    /// `1e3` → `1e3`), `0` for zero. A binary SI value that is not an integer, or is below
    /// 1024 in magnitude, prints as decimal SI. A value with no suffix of its format
    /// (beyond `E`/`Ei`, below `n`) prints in exponent form (`1e21`), never losing magnitude.
    public var canonicalString: String {
        if magnitude.isZero { return "0" }
        let sign = isNegative ? "-" : ""
        var printed = format
        if printed == .binarySI {
            if exponent < 0 || (magnitude.decimalDigitCount + exponent <= 4
                && magnitude.multiplied(byPowerOfTen: exponent) < QuantityMagnitude(1024)) {
                // Not an integer, or below 1024 in magnitude: decimal SI loses nothing.
                printed = .decimalSI
            } else {
                // The integer magnitude × 10^exponent holds exponent + (two-adic order of the
                // magnitude) factors of two; a tenth of those, rounded down, are factors of 1024.
                let kibiPowers = (magnitude.trailingZeroBitCount + exponent) / 10
                if kibiPowers < QuantityMagnitude.binarySuffixes.count {
                    var integer = magnitude.multiplied(byPowerOfTen: exponent)
                    integer.shiftRight(bits: kibiPowers * 10)
                    return sign + integer.decimalString + QuantityMagnitude.binarySuffixes[kibiPowers]
                }
                // No binary suffix is that large.
                printed = .decimalExponent
            }
        }
        // Lower the exponent to a multiple of three, moving the difference into the digits.
        let remainder = ((exponent % 3) + 3) % 3
        let shown = magnitude.multiplied(byPowerOfTen: remainder)
        let shownExponent = exponent - remainder
        let suffix: String
        if printed == .decimalSI, let si = QuantityMagnitude.decimalSuffix(forExponent: shownExponent) {
            suffix = si
        } else {
            suffix = shownExponent == 0 ? "" : "e\(shownExponent)"
        }
        return sign + shown.decimalString + suffix
    }

    // MARK: Comparing

    public static func == (lhs: Quantity, rhs: Quantity) -> Bool {
        lhs.isNegative == rhs.isNegative && lhs.exponent == rhs.exponent && lhs.magnitude == rhs.magnitude
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(isNegative)
        hasher.combine(exponent)
        hasher.combine(magnitude)
    }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool {
        lhs.compare(to: rhs) < 0
    }

    /// -1, 0 or 1 as this value is less than, equal to or greater than `other`'s, as
    /// Kubernetes' `Cmp`.
    public func compare(to other: Quantity) -> Int {
        let (lhsSign, rhsSign) = (signum(), other.signum())
        if lhsSign != rhsSign { return lhsSign < rhsSign ? -1 : 1 }
        if lhsSign == 0 { return 0 }
        let byMagnitude = QuantityMagnitude.compare(magnitude, exponent, other.magnitude, other.exponent)
        return isNegative ? -byMagnitude : byMagnitude
    }

    // MARK: Arithmetic

    /// The exact sum. The result keeps `lhs`'s format, or takes `rhs`'s when `lhs` is zero,
    /// as Kubernetes' `Add`. Nothing is capped or rounded. Like Kubernetes, this aligns the
    /// operands digit by digit, so operands whose exponents differ by n cost about n digits
    /// (`1e2000000000 + 1` is impractical; comparing them is not).
    public static func + (lhs: Quantity, rhs: Quantity) -> Quantity {
        let format = lhs.isZero ? rhs.format : lhs.format
        if rhs.isZero { return Quantity(lhs, format: format) }
        if lhs.isZero { return Quantity(rhs, format: format) }
        // Align both on the smaller exponent.
        let exponent = min(lhs.exponent, rhs.exponent)
        let left = lhs.magnitude.multiplied(byPowerOfTen: lhs.exponent - exponent)
        let right = rhs.magnitude.multiplied(byPowerOfTen: rhs.exponent - exponent)
        if lhs.isNegative == rhs.isNegative {
            return Quantity(negative: lhs.isNegative, magnitude: left + right, exponent: exponent, format: format)
        }
        if left >= right {
            return Quantity(negative: lhs.isNegative, magnitude: left - right, exponent: exponent, format: format)
        }
        return Quantity(negative: rhs.isNegative, magnitude: right - left, exponent: exponent, format: format)
    }

    /// The exact difference, formatted as ``+(_:_:)`` formats a sum (Kubernetes' `Sub`).
    public static func - (lhs: Quantity, rhs: Quantity) -> Quantity {
        lhs + (-rhs)
    }

    /// The negated value, in the same format (Kubernetes' `Neg`).
    public static prefix func - (operand: Quantity) -> Quantity {
        Quantity(negative: !operand.isNegative, magnitude: operand.magnitude, exponent: operand.exponent,
                 format: operand.format)
    }

    public static func += (lhs: inout Quantity, rhs: Quantity) { lhs = lhs + rhs }
    public static func -= (lhs: inout Quantity, rhs: Quantity) { lhs = lhs - rhs }

    /// The exact product with `factor`, in the same format (Kubernetes' `Mul`).
    public func multiplied(by factor: Int64) -> Quantity {
        var product = magnitude
        product.multiply(by: factor.magnitude)
        return Quantity(negative: isNegative != (factor < 0), magnitude: product, exponent: exponent,
                        format: format)
    }

    /// `quantity`'s value in `format`, without any kept text.
    private init(_ quantity: Quantity, format: Format) {
        self = quantity
        self.format = format
        self.preservedText = nil
    }

    // MARK: Codable

    /// Decodes a JSON/YAML string (surrounding whitespace trimmed, as Kubernetes does) or a
    /// number; `null` decodes as zero, as in Kubernetes. Text that is not a quantity throws
    /// `DecodingError.dataCorrupted` whose debug description is the Kubernetes message.
    ///
    /// A JSON number reaches us only as a value, not as its text: integers are exact, other
    /// numbers go through `Decimal` (38 significant digits) and print canonically, so `1e3`
    /// sent as a number prints `1k` where Kubernetes keeps `1e3`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .zero
            return
        }
        let text: String
        if let string = try? container.decode(String.self) {
            text = QuantityParser.trimmingWhitespace(string)
        } else if let integer = try? container.decode(Int64.self) {
            text = String(integer)
        } else if let decimal = try? container.decode(Decimal.self) {
            text = decimal.description
        } else if let double = try? container.decode(Double.self), double.isFinite {
            text = "\(double)"
        } else {
            throw DecodingError.typeMismatch(Quantity.self, .init(
                codingPath: decoder.codingPath, debugDescription: "expected a quantity string or number"))
        }
        do {
            self = try QuantityParser.parse(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: error.message, underlyingError: error))
        }
    }

    /// Encodes ``description`` as a string, as Kubernetes' `MarshalJSON`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

// MARK: - Parsing

/// Kubernetes' `parseQuantityString` and `ParseQuantity`, over the text's UTF-8 bytes.
private enum QuantityParser {
    static func parse(_ text: String) throws(QuantityParseError) -> Quantity {
        if text.isEmpty { throw .formatWrong }
        if text == "0" {
            return Quantity(negative: false, magnitude: .zero, exponent: 0, format: .decimalSI, preservedText: text)
        }
        let bytes = Array(text.utf8)
        let parts = try scan(bytes)
        let (base, suffixExponent, suffixFormat) = try interpret(parts.suffix)
        let num = parts.integerDigits
        let denom = parts.fractionDigits

        // Kubernetes takes an int64 fast path when the digits surely fit. Only on that path
        // may it keep the text, when the text already looks canonical; and only off it does
        // it need a digit (`m`, `Ki`, `.` and `-` all parse as zero).
        var keepsText = false
        switch suffixFormat {
        case .decimalSI, .decimalExponent:
            let scale = suffixExponent - denom.count
            if num.count + denom.count <= 18 && scale >= -9 {
                let shifted = num + denom
                keepsText = scale % 3 == 0 && !shifted.suffix(3).elementsEqual("000".utf8)
                    && shifted.first != UInt8(ascii: "0")
            } else if !parts.hasDigits {
                throw .numeric
            }
        case .binarySI:
            if denom.isEmpty && 14 - num.count - suffixExponent * 3 / 10 >= 0 {
                // At most 11 digits, so they fit. The text is kept unless the number is a
                // multiple of 8 (a hint that a larger suffix might do).
                let digits = UInt64(String(decoding: num, as: UTF8.self)) ?? 0
                keepsText = suffixExponent % 10 == 0 && digits & 7 != 0
            } else if !parts.hasDigits {
                throw .numeric
            }
        }

        // The exact value: digits × 10^-len(denom) × base^exponent, trailing zero digits
        // moved into the exponent before conversion.
        var digits = num + denom
        let trailingZeros = digits.reversed().prefix { $0 == UInt8(ascii: "0") }.count
        digits.removeLast(trailingZeros)
        var magnitude = QuantityMagnitude(decimalDigits: digits)
        var exponent = trailingZeros - denom.count
        if base == 10 {
            exponent += suffixExponent
        } else {
            magnitude.shiftLeft(bits: suffixExponent)
            exponent += magnitude.removeTrailingDecimalZeros()
        }

        // Round anything finer than a nano up, away from zero.
        if exponent < -9 {
            magnitude.divideRoundingUp(byPowerOfTen: -9 - exponent)
            exponent = -9
        }
        var format = suffixFormat
        if format == .binarySI {
            // Cap binary quantities at 2^63 - 1 in magnitude.
            if QuantityMagnitude.compare(magnitude, exponent, .int64Max, 0) > 0 {
                magnitude = .int64Max
                exponent = 0
            }
            // A binary quantity strictly between 0 and 1 becomes decimal.
            if !magnitude.isZero && QuantityMagnitude.compare(magnitude, exponent, QuantityMagnitude(1), 0) < 0 {
                format = .decimalSI
            }
        }
        return Quantity(negative: !parts.positive, magnitude: magnitude, exponent: exponent, format: format,
                        preservedText: keepsText ? text : nil)
    }

    struct Parts {
        var positive = true
        /// The integer digits without leading zeros, `0` when there are none.
        var integerDigits: [UInt8] = Array("0".utf8)
        var fractionDigits: [UInt8] = []
        /// Whether the numeric part holds any digit (leading zeros count).
        var hasDigits = false
        var suffix: [UInt8] = []
    }

    /// Splits the text into sign, integer digits, fraction digits and suffix, as Kubernetes'
    /// scanner does; its grammar is `[+-]? 0* digits ('.' digits)? [eEinumkKMGTP]* [+-]? digits`.
    static func scan(_ bytes: [UInt8]) throws(QuantityParseError) -> Parts {
        var parts = Parts()
        let end = bytes.count
        var pos = 0
        if pos < end {
            if bytes[0] == UInt8(ascii: "-") {
                parts.positive = false
                pos += 1
            } else if bytes[0] == UInt8(ascii: "+") {
                pos += 1
            }
        }
        // Leading zeros; text that is only zeros is zero.
        while pos < end && bytes[pos] == UInt8(ascii: "0") {
            pos += 1
            parts.hasDigits = true
        }
        if pos >= end {
            parts.hasDigits = true
            return parts
        }
        var start = pos
        while pos < end && isDigit(bytes[pos]) { pos += 1 }
        if pos > start {
            parts.integerDigits = Array(bytes[start..<pos])
            parts.hasDigits = true
        }
        if pos >= end { return parts }
        if bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            start = pos
            while pos < end && isDigit(bytes[pos]) { pos += 1 }
            parts.fractionDigits = Array(bytes[start..<pos])
            if pos > start { parts.hasDigits = true }
            if pos >= end { return parts }
        }
        let suffixStart = pos
        while pos < end && isSuffixLetter(bytes[pos]) { pos += 1 }
        if pos < end && (bytes[pos] == UInt8(ascii: "-") || bytes[pos] == UInt8(ascii: "+")) { pos += 1 }
        while pos < end && isDigit(bytes[pos]) { pos += 1 }
        if pos < end { throw .formatWrong }
        parts.suffix = Array(bytes[suffixStart..<end])
        return parts
    }

    /// Kubernetes' suffix interpretation: (base, exponent, format).
    static func interpret(_ suffix: [UInt8]) throws(QuantityParseError) -> (Int, Int, Quantity.Format) {
        switch String(decoding: suffix, as: UTF8.self) {
        case "": return (10, 0, .decimalSI)
        case "n": return (10, -9, .decimalSI)
        case "u": return (10, -6, .decimalSI)
        case "m": return (10, -3, .decimalSI)
        case "k": return (10, 3, .decimalSI)
        case "M": return (10, 6, .decimalSI)
        case "G": return (10, 9, .decimalSI)
        case "T": return (10, 12, .decimalSI)
        case "P": return (10, 15, .decimalSI)
        case "E": return (10, 18, .decimalSI)
        case "Ki": return (2, 10, .binarySI)
        case "Mi": return (2, 20, .binarySI)
        case "Gi": return (2, 30, .binarySI)
        case "Ti": return (2, 40, .binarySI)
        case "Pi": return (2, 50, .binarySI)
        case "Ei": return (2, 60, .binarySI)
        default: break
        }
        guard suffix.count > 1, suffix[0] == UInt8(ascii: "e") || suffix[0] == UInt8(ascii: "E"),
              let exponent = parseExponent(suffix.dropFirst()) else {
            throw .suffix
        }
        return (10, exponent, .decimalExponent)
    }

    /// A signed decimal integer (Go's `strconv.ParseInt`, base 10), accepted only within
    /// ±(2³¹−1) so that it is never narrowed to an unrelated exponent.
    private static func parseExponent(_ text: ArraySlice<UInt8>) -> Int? {
        var digits = text[...]
        var negative = false
        if let first = digits.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return nil }
        var value = 0
        for byte in digits {
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            if value > Int(Int32.max) { return nil }
        }
        return negative ? -value : value
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isSuffixLetter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "i"), UInt8(ascii: "n"), UInt8(ascii: "u"),
             UInt8(ascii: "m"), UInt8(ascii: "k"), UInt8(ascii: "K"), UInt8(ascii: "M"), UInt8(ascii: "G"),
             UInt8(ascii: "T"), UInt8(ascii: "P"):
            return true
        default:
            return false
        }
    }

    /// Go's `strings.TrimSpace`: Unicode white space off both ends.
    static func trimmingWhitespace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}

// MARK: - Exact unsigned integers

/// An unsigned integer of any size: little-endian 64-bit limbs, no zero limb on top
/// (zero has none). Just the operations quantities need.
private struct QuantityMagnitude: Hashable, Sendable, Comparable {
    private(set) var limbs: [UInt64]

    static let zero = QuantityMagnitude(0)
    static let int64Max = QuantityMagnitude(UInt64(Int64.max))

    /// 10^0 through 10^19, the powers of ten that fit a limb.
    private static let powersOfTen: [UInt64] = {
        var powers: [UInt64] = [1]
        for _ in 1...19 { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()

    /// Binary SI suffixes by power of 1024.
    static let binarySuffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]

    /// The decimal SI suffix for 10^`exponent`, if there is one.
    static func decimalSuffix(forExponent exponent: Int) -> String? {
        switch exponent {
        case -9: return "n"
        case -6: return "u"
        case -3: return "m"
        case 0: return ""
        case 3: return "k"
        case 6: return "M"
        case 9: return "G"
        case 12: return "T"
        case 15: return "P"
        case 18: return "E"
        default: return nil
        }
    }

    init(_ value: UInt64) {
        limbs = value == 0 ? [] : [value]
    }

    /// The number an ASCII decimal digit string spells.
    init(decimalDigits digits: [UInt8]) {
        limbs = []
        var index = 0
        while index < digits.count {
            let chunkEnd = min(index + 19, digits.count)
            var chunk: UInt64 = 0
            for byte in digits[index..<chunkEnd] { chunk = chunk * 10 + UInt64(byte - UInt8(ascii: "0")) }
            multiply(by: Self.powersOfTen[chunkEnd - index], adding: chunk)
            index = chunkEnd
        }
    }

    var isZero: Bool { limbs.isEmpty }

    /// The value, if it fits 64 bits.
    var uint64Value: UInt64? {
        switch limbs.count {
        case 0: return 0
        case 1: return limbs[0]
        default: return nil
        }
    }

    private mutating func trim() {
        while let last = limbs.last, last == 0 { limbs.removeLast() }
    }

    /// self = self × factor + addend.
    mutating func multiply(by factor: UInt64, adding addend: UInt64 = 0) {
        if factor == 0 {
            limbs = []
            if addend != 0 { limbs = [addend] }
            return
        }
        var carry = addend
        for index in limbs.indices {
            let (high, low) = limbs[index].multipliedFullWidth(by: factor)
            let (sum, overflow) = low.addingReportingOverflow(carry)
            limbs[index] = sum
            carry = high &+ (overflow ? 1 : 0)  // high ≤ 2⁶⁴−2, so this cannot wrap
        }
        if carry != 0 { limbs.append(carry) }
    }

    /// Divides in place and returns the remainder.
    @discardableResult
    mutating func divide(by divisor: UInt64) -> UInt64 {
        var remainder: UInt64 = 0
        for index in limbs.indices.reversed() {
            let (quotient, rest) = divisor.dividingFullWidth((high: remainder, low: limbs[index]))
            limbs[index] = quotient
            remainder = rest
        }
        trim()
        return remainder
    }

    func remainder(dividingBy divisor: UInt64) -> UInt64 {
        var remainder: UInt64 = 0
        for limb in limbs.reversed() {
            remainder = divisor.dividingFullWidth((high: remainder, low: limb)).remainder
        }
        return remainder
    }

    mutating func multiply(byPowerOfTen power: Int) {
        var left = power
        while left > 0 {
            let step = min(left, 19)
            multiply(by: Self.powersOfTen[step])
            left -= step
        }
    }

    func multiplied(byPowerOfTen power: Int) -> QuantityMagnitude {
        var result = self
        result.multiply(byPowerOfTen: power)
        return result
    }

    /// Divides by 10^`power`, rounding a nonzero remainder up (so a nonzero value below
    /// 10^`power` becomes 1). Returns whether the division was exact.
    @discardableResult
    mutating func divideRoundingUp(byPowerOfTen power: Int) -> Bool {
        if power <= 0 || isZero { return true }
        if power >= decimalDigitCount {
            self = QuantityMagnitude(1)
            return false
        }
        var exact = true
        var left = power
        while left > 0 {
            let step = min(left, 19)
            if divide(by: Self.powersOfTen[step]) != 0 { exact = false }
            left -= step
        }
        if !exact { add(1) }
        return exact
    }

    /// Strips trailing decimal zeros and returns how many there were.
    mutating func removeTrailingDecimalZeros() -> Int {
        if isZero { return 0 }
        var count = 0
        while remainder(dividingBy: Self.powersOfTen[19]) == 0 {
            divide(by: Self.powersOfTen[19])
            count += 19
        }
        while remainder(dividingBy: 10) == 0 {
            divide(by: 10)
            count += 1
        }
        return count
    }

    mutating func add(_ small: UInt64) {
        var carry = small
        var index = 0
        while carry != 0 {
            if index == limbs.count {
                limbs.append(carry)
                return
            }
            let (sum, overflow) = limbs[index].addingReportingOverflow(carry)
            limbs[index] = sum
            carry = overflow ? 1 : 0
            index += 1
        }
    }

    static func + (lhs: QuantityMagnitude, rhs: QuantityMagnitude) -> QuantityMagnitude {
        var result = lhs
        var carry: UInt64 = 0
        for index in 0..<max(lhs.limbs.count, rhs.limbs.count) {
            let left = index < result.limbs.count ? result.limbs[index] : 0
            let right = index < rhs.limbs.count ? rhs.limbs[index] : 0
            let (partial, overflow1) = left.addingReportingOverflow(right)
            let (sum, overflow2) = partial.addingReportingOverflow(carry)
            if index < result.limbs.count {
                result.limbs[index] = sum
            } else {
                result.limbs.append(sum)
            }
            carry = (overflow1 || overflow2) ? 1 : 0
        }
        if carry != 0 { result.limbs.append(carry) }
        return result
    }

    /// lhs − rhs; requires lhs ≥ rhs.
    static func - (lhs: QuantityMagnitude, rhs: QuantityMagnitude) -> QuantityMagnitude {
        precondition(lhs >= rhs, "magnitude subtraction underflow")
        var result = lhs
        var borrow: UInt64 = 0
        for index in result.limbs.indices {
            let right = index < rhs.limbs.count ? rhs.limbs[index] : 0
            let (partial, overflow1) = result.limbs[index].subtractingReportingOverflow(right)
            let (difference, overflow2) = partial.subtractingReportingOverflow(borrow)
            result.limbs[index] = difference
            borrow = (overflow1 || overflow2) ? 1 : 0
        }
        result.trim()
        return result
    }

    static func < (lhs: QuantityMagnitude, rhs: QuantityMagnitude) -> Bool {
        if lhs.limbs.count != rhs.limbs.count { return lhs.limbs.count < rhs.limbs.count }
        for index in lhs.limbs.indices.reversed() where lhs.limbs[index] != rhs.limbs[index] {
            return lhs.limbs[index] < rhs.limbs[index]
        }
        return false
    }

    /// Compares lhs × 10^lhsExponent with rhs × 10^rhsExponent without building large
    /// powers of ten: the number of digits decides unless both have the same, and then the
    /// exponents differ by less than the digit count.
    static func compare(_ lhs: QuantityMagnitude, _ lhsExponent: Int,
                        _ rhs: QuantityMagnitude, _ rhsExponent: Int) -> Int {
        if lhs.isZero || rhs.isZero {
            return lhs.isZero ? (rhs.isZero ? 0 : -1) : 1
        }
        let lhsTop = lhs.decimalDigitCount + lhsExponent
        let rhsTop = rhs.decimalDigitCount + rhsExponent
        if lhsTop != rhsTop { return lhsTop < rhsTop ? -1 : 1 }
        let common = min(lhsExponent, rhsExponent)
        let left = lhs.multiplied(byPowerOfTen: lhsExponent - common)
        let right = rhs.multiplied(byPowerOfTen: rhsExponent - common)
        return left == right ? 0 : (left < right ? -1 : 1)
    }

    mutating func shiftLeft(bits: Int) {
        if isZero || bits == 0 { return }
        let wholeLimbs = bits / 64
        let partial = UInt64(bits % 64)
        if partial != 0 {
            var carry: UInt64 = 0
            for index in limbs.indices {
                let limb = limbs[index]
                limbs[index] = (limb << partial) | carry
                carry = limb >> (64 - partial)
            }
            if carry != 0 { limbs.append(carry) }
        }
        limbs.insert(contentsOf: repeatElement(0, count: wholeLimbs), at: 0)
    }

    mutating func shiftRight(bits: Int) {
        let wholeLimbs = bits / 64
        if wholeLimbs >= limbs.count {
            limbs = []
            return
        }
        limbs.removeFirst(wholeLimbs)
        let partial = UInt64(bits % 64)
        if partial != 0 {
            for index in limbs.indices {
                let high = index + 1 < limbs.count ? limbs[index + 1] << (64 - partial) : 0
                limbs[index] = (limbs[index] >> partial) | high
            }
        }
        trim()
    }

    /// How many times two divides the value (zero for zero).
    var trailingZeroBitCount: Int {
        guard let index = limbs.firstIndex(where: { $0 != 0 }) else { return 0 }
        return index * 64 + limbs[index].trailingZeroBitCount
    }

    /// The decimal digits, `0` for zero.
    var decimalString: String {
        if let small = uint64Value { return String(small) }
        var chunks: [UInt64] = []
        var rest = self
        while !rest.isZero { chunks.append(rest.divide(by: Self.powersOfTen[19])) }
        var text = String(chunks[chunks.count - 1])
        for chunk in chunks.dropLast().reversed() {
            let digits = String(chunk)
            text += String(repeating: "0", count: 19 - digits.count) + digits
        }
        return text
    }

    /// The number of decimal digits (1 for zero).
    var decimalDigitCount: Int {
        if let small = uint64Value {
            var count = 1
            while count < 20 && small >= Self.powersOfTen[count] { count += 1 }
            return count
        }
        return decimalString.count
    }
}
