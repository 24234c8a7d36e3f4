import Foundation
import Testing
import APIModel

// Expectations are taken from Kubernetes' own tests
// (staging/src/k8s.io/apimachinery/pkg/api/resource/quantity_test.go); the test each
// table comes from is named above it.

private let mostPositive = Int64.max
private let mostNegative = Int64.min

/// `mantissa` × 10^`exponent` in `format`: Kubernetes' test helpers `decQuantity`/`intQuantity`.
private func q(_ mantissa: Int64, _ exponent: Int, _ format: Quantity.Format = .decimalSI) -> Quantity {
    Quantity(scaled: mantissa, scale: exponent, format: format)
}

private func parsed(_ text: String) throws -> Quantity {
    try Quantity(parsing: text)
}

@Suite struct QuantityParsingTests {
    struct ParseCase: CustomTestStringConvertible, Sendable {
        let input: String
        let mantissa: Int64
        let exponent: Int
        let format: Quantity.Format
        init(_ input: String, _ mantissa: Int64, _ exponent: Int, _ format: Quantity.Format = .decimalSI) {
            (self.input, self.mantissa, self.exponent, self.format) = (input, mantissa, exponent, format)
        }
        var testDescription: String { input }
    }

    // TestQuantityParse
    static let parseTable: [ParseCase] = [
        .init("0", 0, 0), .init("0n", 0, 0), .init("0u", 0, 0), .init("0m", 0, 0),
        .init("0Ki", 0, 0, .binarySI), .init("0k", 0, 0), .init("0Mi", 0, 0, .binarySI), .init("0M", 0, 0),
        .init("0Gi", 0, 0, .binarySI), .init("0G", 0, 0), .init("0Ti", 0, 0, .binarySI), .init("0T", 0, 0),
        // Quantity-less numbers are allowed.
        .init("1", 1, 0),
        // Binary suffixes.
        .init("1Ki", 1024, 0, .binarySI), .init("8Ki", 8 * 1024, 0, .binarySI),
        .init("7Mi", 7 << 20, 0, .binarySI), .init("6Gi", 6 << 30, 0, .binarySI),
        .init("5Ti", 5 << 40, 0, .binarySI), .init("4Pi", 4 << 50, 0, .binarySI),
        .init("3Ei", 3 << 60, 0, .binarySI), .init("10Ti", 10 << 40, 0, .binarySI),
        .init("100Ti", 100 << 40, 0, .binarySI),
        // Decimal suffixes.
        .init("5n", 5, -9), .init("4u", 4, -6), .init("3m", 3, -3), .init("9", 9, 0), .init("8k", 8, 3),
        .init("50k", 5, 4), .init("7M", 7, 6), .init("6G", 6, 9), .init("5T", 5, 12), .init("40T", 4, 13),
        .init("300T", 3, 14), .init("2P", 2, 15), .init("1E", 1, 18),
        // Decimal exponents.
        .init("1E-3", 1, -3, .decimalExponent), .init("1e3", 1, 3, .decimalExponent),
        .init("1E6", 1, 6, .decimalExponent), .init("1e9", 1, 9, .decimalExponent),
        .init("1E12", 1, 12, .decimalExponent), .init("1e15", 1, 15, .decimalExponent),
        .init("1E18", 1, 18, .decimalExponent),
        // Nonstandard but still parsable.
        .init("1e14", 1, 14, .decimalExponent), .init("1e13", 1, 13, .decimalExponent),
        .init("100.035k", 100035, 0),
        // Things that look like floating point.
        .init("0.001", 1, -3), .init("0.0005k", 5, -1), .init("0.005", 5, -3), .init("0.05", 5, -2),
        .init("0.5", 5, -1), .init("0.00050k", 5, -1), .init("0.00500", 5, -3), .init("0.05000", 5, -2),
        .init("0.50000", 5, -1), .init("0.5e0", 5, -1, .decimalExponent),
        .init("0.5e-1", 5, -2, .decimalExponent), .init("0.5e-2", 5, -3, .decimalExponent),
        .init("10.035M", 10035, 3),
        .init("1.2e3", 12, 2, .decimalExponent), .init("1.3E+6", 13, 5, .decimalExponent),
        .init("1.40e9", 14, 8, .decimalExponent), .init("1.53E12", 153, 10, .decimalExponent),
        .init("1.6e15", 16, 14, .decimalExponent), .init("1.7E18", 17, 17, .decimalExponent),
        .init("9.01", 901, -2), .init("8.1k", 81, 2), .init("7.123456M", 7123456, 0),
        .init("6.987654321G", 6987654321, 0), .init("5.444T", 5444, 9), .init("40.1T", 401, 11),
        .init("300.2T", 3002, 11), .init("2.5P", 25, 14), .init("1.01E", 101, 16),
        // Things that saturate or round.
        .init("3.001n", 4, -9), .init("1.1E-9", 2, -9, .decimalExponent), .init("0.0000000001", 1, -9),
        .init("0.0000000005", 1, -9), .init("0.00000000050", 1, -9), .init("0.5e-9", 1, -9, .decimalExponent),
        .init("0.9n", 1, -9), .init("0.00000012345", 124, -9), .init("0.00000012354", 124, -9),
        .init("9Ei", mostPositive, 0, .binarySI), .init("9223372036854775807Ki", mostPositive, 0, .binarySI),
        .init("12E", 12, 18),
        // Fractional binary quantities are accepted too.
        .init("100.035Ki", 10243584, -2, .binarySI), .init("0.5Mi", 524288, 0, .binarySI),
        .init("0.05Gi", 536870912, -1, .binarySI), .init("0.025Ti", 274877906944, -1, .binarySI),
        // Things written by trolls.
        .init("0.000000000001Ki", 2, -9),  // rounds up, changes format
        .init(".001", 1, -3), .init(".0001k", 100, -3), .init("1.", 1, 0), .init("1.G", 1, 9),
    ]

    @Test("parses to Kubernetes' value and format", arguments: parseTable)
    func parse(_ item: ParseCase) throws {
        let expected = q(item.mantissa, item.exponent, item.format)
        let got = try parsed(item.input)
        #expect(got == expected)
        #expect(got.compare(to: expected) == 0)
        #expect(got.format == item.format)
    }

    @Test("a leading minus negates, keeping the format", arguments: parseTable)
    func parseNegative(_ item: ParseCase) throws {
        let got = try parsed("-" + item.input)
        #expect(got == -q(item.mantissa, item.exponent))
        #expect(got.format == item.format)
    }

    @Test("a leading plus changes nothing", arguments: parseTable)
    func parsePositive(_ item: ParseCase) throws {
        let got = try parsed("+" + item.input)
        #expect(got == q(item.mantissa, item.exponent))
        #expect(got.format == item.format)
    }

    // TestQuantityParse's invalid inputs, with the error Kubernetes' parser reaches for each,
    // plus the empty string and inputs only the decimal fallback rejects.
    static let invalidTable: [(String, QuantityParseError)] = [
        ("1.1.M", QuantityParseError.formatWrong), ("1+1.0M", .formatWrong), ("0.1mi", .suffix),
        ("0.1am", .formatWrong), ("aoeu", .formatWrong), (".5i", .suffix), ("1i", .suffix),
        ("-3.01i", .suffix), ("-3.01e-", .suffix),
        // An exponent beyond the int32 scale is rejected, not truncated (1e4294967297 is not 1e1).
        ("1e4294967297", .suffix), ("1E2147483648", .suffix), ("1E-2147483648", .suffix),
        ("1e9223372036854775808", .suffix),
        // Surrounding whitespace is forbidden.
        (" 1", .formatWrong), ("1 ", .formatWrong),
        ("", .formatWrong), ("1K", .suffix), ("1e", .suffix), ("1ee5", .suffix), ("1Ki5", .suffix),
        ("1k-", .suffix), ("1.5 Gi", .formatWrong), ("１", .formatWrong), ("Non-Numeric", .formatWrong),
        // No digits, and too fine or too large for Kubernetes' int64 fast path.
        ("e-10", .numeric), ("-.e-10", .numeric), ("Ei", .numeric), ("Pi", .numeric),
    ]

    @Test("rejects what Kubernetes rejects, with its error", arguments: invalidTable)
    func invalid(_ input: String, _ error: QuantityParseError) {
        #expect(throws: error) { try Quantity(parsing: input) }
        #expect(Quantity(input) == nil)
    }

    @Test func errorMessagesAreKubernetes() {
        #expect(QuantityParseError.formatWrong.message
            == "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
        #expect(QuantityParseError.numeric.message == "unable to parse numeric part of quantity")
        #expect(QuantityParseError.suffix.message == "unable to parse quantity's suffix")
        #expect(QuantityParseError.suffix.description == QuantityParseError.suffix.message)
        #expect(QuantityParseError.suffix.localizedDescription == QuantityParseError.suffix.message)
    }

    // Kubernetes' fast path accepts a numeric part with no digit at all as zero.
    static let zeroTexts: [String] = [".", "-.", "+", "-", "m", "Ki", "Ti", "e5", "00", "-0", "+0.000"]

    @Test(arguments: zeroTexts)
    func digitlessOrZeroParsesAsZero(_ input: String) throws {
        let got = try parsed(input)
        #expect(got.isZero)
        #expect(got.description == "0")
    }

    @Test func exponentsUpToInt32Parse() throws {
        let huge = try parsed("1E2147483647")
        #expect(huge.format == .decimalExponent)
        #expect(huge.description == "10e2147483646")
        #expect(huge.value == Int64.max)
        #expect(huge > (try parsed("9E")))
        // Rounded up to one nano, not materialized.
        #expect(try parsed("1e-2147483647") == q(1, -9))
        #expect(try parsed("-.484785E-7466") == q(-1, -9))
    }

    @Test func manyDigitsStayExact() throws {
        let digits = "123456789012345678901234567890123456789012345678901234567890"
        let got = try parsed(digits)
        #expect(got.description == digits)
        #expect(try parsed(digits + "000m") == got)
        #expect(try parsed(digits + "k").description == digits + "k")
        #expect(got + q(1, 0) - got == q(1, 0))
    }

    @Test func failableAndLiteralInitializers() {
        let text = "250m"
        #expect(Quantity(text) == q(250, -3))
        #expect(Quantity("not a quantity" as String) == nil)
        let literal: Quantity = "1Gi"
        #expect(literal == Quantity.bytes(1 << 30))
        // A literal argument is a literal coercion: non-optional.
        let coerced = Quantity("100m")
        #expect(coerced.milliValue == 100)
    }
}

@Suite struct QuantityPrintingTests {
    // TestQuantityString: the canonical form of a value, and an alternate spelling that
    // must print canonically once parsed. The e21/e24/e69/e72 and 2^70 rows are
    // Kubernetes' fix for values beyond the largest suffix, which fall back to exponent
    // notation instead of losing their magnitude.
    static let stringTable: [(Quantity, String, String)] = [
        (q(1 << 30, 0, .binarySI), "1Gi", "1024Mi"),
        (q(300 << 20, 0, .binarySI), "300Mi", "307200Ki"),
        (q(6 * 1024, 0, .binarySI), "6Ki", ""),
        (q(1001 << 30, 0, .binarySI), "1001Gi", "1025024Mi"),
        (q(1 << 40, 0, .binarySI), "1Ti", "1024Gi"),
        (q(5, 0, .binarySI), "5", "5000m"),
        (q(500, -3, .binarySI), "500m", "0.5"),
        (q(1, 9), "1G", "1000M"),
        (q(1000, 6), "1G", "0.001T"),
        (q(1_000_000, 3), "1G", ""),
        (q(1_000_000_000, 0), "1G", ""),
        (q(1, -3), "1m", "1000u"),
        (q(80, -3), "80m", ""),
        (q(1080, -3), "1080m", "1.08"),
        (q(108, -2), "1080m", "1080000000n"),
        (q(10800, -4), "1080m", ""),
        (q(300, 6), "300M", ""),
        (q(1, 12), "1T", ""),
        (q(1, 18), "1E", ""),
        (q(1, 21), "1e21", "1000E"),
        (q(5, 21), "5e21", "5000E"),
        (q(1, 24), "1e24", "1000000E"),
        (q(1, 70, .binarySI), "10e69", ""),
        (q(2, 70, .binarySI), "20e69", ""),
        (q(1, 72, .binarySI), "1e72", ""),
        (q(1_234_567, 6), "1234567M", ""),
        (q(1_234_567, -3, .binarySI), "1234567m", ""),
        (q(3, 3), "3k", ""),
        (q(1025, 0, .binarySI), "1025", ""),
        (q(0, 0), "0", ""),
        (q(0, 0, .binarySI), "0", ""),
        (q(1, 9, .decimalExponent), "1e9", ".001e12"),
        (q(1, -3, .decimalExponent), "1e-3", "0.001e0"),
        (q(1, -9, .decimalExponent), "1e-9", "1000e-12"),
        (q(80, -3, .decimalExponent), "80e-3", ""),
        (q(300, 6, .decimalExponent), "300e6", ""),
        (q(1, 12, .decimalExponent), "1e12", ""),
        (q(1, 3, .decimalExponent), "1e3", ""),
        (q(3, 3, .decimalExponent), "3e3", ""),
        (q(3, 3), "3k", ""),
        (q(0, 0, .decimalExponent), "0", "00"),
        (q(1, -9), "1n", ""),
        (q(80, -9), "80n", ""),
        (q(1080, -9), "1080n", ""),
        (q(108, -8), "1080n", ""),
        (q(10800, -10), "1080n", ""),
        (q(1, -6), "1u", ""),
        (q(80, -6), "80u", ""),
        (q(1080, -6), "1080u", ""),
    ]

    @Test("prints canonically", arguments: stringTable)
    func canonical(_ value: Quantity, _ expected: String, _ alternate: String) throws {
        #expect(value.description == expected)
        #expect(value.canonicalString == expected)
        let reparsed = try parsed(expected)
        #expect(reparsed.description == expected)
        #expect(reparsed == value)
        if !alternate.isEmpty {
            let other = try parsed(alternate)
            #expect(other.description == expected)
            #expect(other == value)
        }
        if !value.isZero {
            // Negation never prints "-0" and otherwise just adds the sign.
            #expect((-value).description == "-" + expected)
        }
    }

    // TestQuantityStringBelowNano: only reachable from code, parsing rounds up to a nano.
    @Test func belowNanoFallsBackToExponent() {
        #expect(q(1, -12).description == "1e-12")
        #expect(q(1, -10).description == "100e-12")
    }

    // TestBinarySIZeroExponentString
    @Test func binaryWithoutKibiFactor() {
        #expect(q(2000, 0, .binarySI).description == "2000")
        #expect(q(-2000, 0, .binarySI).description == "-2000")
    }

    // TestQuantityParseEmit, and the same negated.
    static let emitTable: [(String, String)] = [
        ("1Ki", "1Ki"), ("1Mi", "1Mi"), ("1Gi", "1Gi"), ("1024Mi", "1Gi"), ("1000M", "1G"),
        (".001Ki", "1024m"), (".000001Ki", "1024u"), (".000000001Ki", "1024n"), (".000000000001Ki", "2n"),
    ]

    @Test("parses and re-emits", arguments: emitTable)
    func parseEmit(_ input: String, _ expected: String) throws {
        #expect(try parsed(input).description == expected)
        #expect(try parsed("-" + input).description == "-" + expected)
    }

    // The examples this type is specified with.
    static let canonicalFormTable: [(String, String)] = [
        ("1000m", "1"), ("0.5", "500m"), ("1.5Gi", "1536Mi"), ("1024Mi", "1Gi"), ("1e3", "1e3"),
        ("100M", "100M"), ("1.1", "1100m"), ("-0.5", "-500m"), ("1.5", "1500m"), ("2048Ki", "2Mi"),
        ("1.1Ki", "1126400m"), ("100.035Ki", "102435840m"), ("0.5Mi", "512Ki"), ("7Ei", "7Ei"),
        ("9Ei", "9223372036854775807"), ("12E", "12E"), ("0.5e0", "500e-3"), ("1e0", "1e0"),
        ("-.484785E-1", "-48478500e-9"), ("-9.5000000001Gi", "-10200547328107374183n"),
        // Finer than a nano rounds up: 0.1m is 100u and 0.1n is 1n.
        ("0.1m", "100u"), ("0.1n", "1n"), ("-0.1n", "-1n"),
    ]

    @Test("canonical forms", arguments: canonicalFormTable)
    func canonicalForms(_ input: String, _ expected: String) throws {
        #expect(try parsed(input).description == expected)
    }

    // TestParseQuantity (the int64 boundaries): input → printed form.
    static let boundaryTable: [(String, String)] = [
        ("-999999999999999999", "-999999999999999999"), ("999999999999999999", "999999999999999999"),
        ("-999999999999999999.0", "-999999999999999999"), ("999999999999999999.0", "999999999999999999"),
        ("-999999999999999999.1", "-999999999999999999100m"), ("999999999999999999.1", "999999999999999999100m"),
        ("-9999999999999999999", "-9999999999999999999"), ("9999999999999999999", "9999999999999999999"),
        ("-1E", "-1E"), ("1E", "1E"), ("-1000000000000000000", "-1E"), ("1000000000000000000", "1E"),
        ("-9999999999999999999.0", "-9999999999999999999"), ("9999999999999999999.0", "9999999999999999999"),
        ("-1.0E", "-1E"), ("1.0E", "1E"), ("-1000000000000000000.0", "-1E"), ("1000000000000000000.0", "1E"),
        ("-9999999999999999999000m", "-9999999999999999999"), ("9999999999999999999000m", "9999999999999999999"),
        ("-9999999999999999999.1", "-9999999999999999999100m"), ("9999999999999999999.1", "9999999999999999999100m"),
        ("-1.0000000000000000001E", "-1000000000000000000100m"), ("1.0000000000000000001E", "1000000000000000000100m"),
        ("-1000000000000000000.1", "-1000000000000000000100m"), ("1000000000000000000.1", "1000000000000000000100m"),
        ("-1.000000000000000001E", "-1000000000000000001"), ("1.000000000000000001E", "1000000000000000001"),
        ("-1000000000000000001", "-1000000000000000001"), ("1000000000000000001", "1000000000000000001"),
        ("-10E", "-10E"), ("10E", "10E"), ("-10000000000000000000", "-10E"), ("10000000000000000000", "10E"),
        ("-10.0E", "-10E"), ("10.0E", "10E"), ("-10000000000000000000.0", "-10E"), ("10000000000000000000.0", "10E"),
        ("-10000000000000000000000m", "-10E"), ("10000000000000000000000m", "10E"),
        ("-10.0000000000000000001E", "-10000000000000000000100m"),
        ("10.0000000000000000001E", "10000000000000000000100m"),
        ("-10000000000000000000.1", "-10000000000000000000100m"),
        ("10000000000000000000.1", "10000000000000000000100m"),
        ("-10.000000000000000001E", "-10000000000000000001"), ("10.000000000000000001E", "10000000000000000001"),
        ("-10000000000000000001", "-10000000000000000001"), ("10000000000000000001", "10000000000000000001"),
        ("-9223372036854775809", "-9223372036854775809"), ("9223372036854775806", "9223372036854775806"),
        ("-9223372036854775809.0", "-9223372036854775809"), ("9223372036854775806.0", "9223372036854775806"),
        ("-9223372036854775809000m", "-9223372036854775809"), ("9223372036854775806000m", "9223372036854775806"),
        ("-9223372036854775809.1", "-9223372036854775809100m"), ("9223372036854775806.1", "9223372036854775806100m"),
        ("-9223372036854775808", "-9223372036854775808"), ("9223372036854775807", "9223372036854775807"),
        ("-9223372036854775808.0", "-9223372036854775808"), ("9223372036854775807.0", "9223372036854775807"),
        ("-9223372036854775808000m", "-9223372036854775808"), ("9223372036854775807000m", "9223372036854775807"),
        ("-9223372036854775808.1", "-9223372036854775808100m"), ("9223372036854775807.1", "9223372036854775807100m"),
        ("-9223372036854775807", "-9223372036854775807"), ("9223372036854775808", "9223372036854775808"),
        ("-9223372036854775807.0", "-9223372036854775807"), ("9223372036854775808.0", "9223372036854775808"),
        ("-9223372036854775807000m", "-9223372036854775807"), ("9223372036854775808000m", "9223372036854775808"),
        ("-9223372036854775807.1", "-9223372036854775807100m"), ("9223372036854775808.1", "9223372036854775808100m"),
    ]

    @Test("int64 boundaries print exactly", arguments: boundaryTable)
    func int64Boundaries(_ input: String, _ expected: String) throws {
        let got = try parsed(input)
        #expect(got.description == expected)
        #expect(try parsed(expected) == got)
    }

    // Like Kubernetes' String(), the parsed text is kept when Kubernetes' own test finds it
    // canonical (int64 fast path, exponent a multiple of 3, no "000" tail, no leading "0.";
    // for binary SI, digits that are not a multiple of 8), even where a shorter form exists.
    static let keptTextTable: [(String, String, String)] = [
        ("+1", "+1", "1"), ("01", "01", "1"), ("1.500", "1.500", "1500m"), ("1.100k", "1.100k", "1100"),
        ("1e0", "1e0", "1"), ("+100m", "+100m", "100m"), ("0", "0", "0"),
        ("1025Ki", "1025Ki", "1025Ki"), ("1028Ki", "1028Ki", "1028Ki"),
    ]

    @Test("keeps text Kubernetes keeps", arguments: keptTextTable)
    func keptText(_ input: String, _ printed: String, _ canonical: String) throws {
        let got = try parsed(input)
        #expect(got.description == printed)
        #expect(got.canonicalString == canonical)
        // Any change drops the kept text.
        #expect((got + .zero).description == canonical)
        var reformatted = got
        reformatted.format = got.format
        #expect(reformatted.description == canonical)
    }

    @Test func settingFormatReprints() throws {
        var value = try parsed("1024")
        #expect(value.description == "1024")
        value.format = .binarySI
        #expect(value.description == "1Ki")
        value.format = .decimalExponent
        #expect(value.description == "1024")
        var milli = try parsed("1500m")
        milli.format = .binarySI
        #expect(milli.description == "1500m")  // not an integer: stays decimal
    }

    // TestQuantityNeg
    @Test func negation() {
        #expect((-q(901, -2)).description == "-9010m")
        #expect(-(-q(901, -2)) == q(901, -2))
        #expect((-Quantity.zero).description == "0")
        #expect((-q(10, 0, .binarySI)).format == .binarySI)
    }
}

@Suite struct QuantityComparisonTests {
    // TestQuantityCmp
    static let parsedComparisonTable: [(String, String, Int)] = [
        ("0", "0", 0), ("100m", "50m", 1), ("50m", "100m", -1), ("10000T", "100Gi", 1),
    ]

    @Test(arguments: parsedComparisonTable)
    func parsedComparisons(_ lhs: String, _ rhs: String, _ expected: Int) throws {
        let (left, right) = (try parsed(lhs), try parsed(rhs))
        #expect(left.compare(to: right) == expected)
        #expect(right.compare(to: left) == -expected)
        #expect((left < right) == (expected < 0))
        #expect((left == right) == (expected == 0))
    }

    // TestQuantityCmpInt64AndDec
    static let constructedComparisonTable: [(Quantity, Quantity, Int)] = [
        (q(901, -2), q(901, -2), 0), (q(90, -1), q(901, -2), -1), (q(901, -2), q(900, -2), 1),
        (q(0, 0), q(0, 0), 0), (q(0, 1), q(0, -1), 0), (q(0, -1), q(0, 1), 0),
        (q(800, -3), q(1, 0), -1), (q(800, -3), q(79, -2), 1),
        (q(mostPositive, 0), q(1, -1), 1), (q(mostPositive, 1), q(1, 0), 1),
        (q(mostPositive, 1), q(1, 1), 1), (q(mostPositive, 1), q(0, 1), 1),
        (q(mostPositive, -16), q(1, 3), -1),
        (q(mostNegative, 0), q(0, 0), -1), (q(mostNegative, -18), q(-1, 0), -1),
        (q(mostNegative, -19), q(-1, 0), 1),
        (q(1_000_000_000_000_000_000, -17), q(1, 1), 0), (q(1_000_000_000_000_000_000, -17), q(-10, 0), 1),
        (q(-1_000_000_000_000_000_000, -17), q(-10, 0), 0), (q(1_000_000_000_000_000_000, -17), q(1, 0), 1),
        (q(1_000_000_000_000_000_001, -17), q(1, 1), 1), (q(999_999_999_999_999_999, -17), q(1, 1), -1),
    ]

    @Test(arguments: constructedComparisonTable)
    func constructedComparisons(_ lhs: Quantity, _ rhs: Quantity, _ expected: Int) {
        #expect(lhs.compare(to: rhs) == expected)
        #expect(rhs.compare(to: lhs) == -expected)
    }

    @Test func orderingSortsByValue() throws {
        let values = try ["1Gi", "1G", "-1", "0", "999Mi", "1e9", "500m", "1Ki", "-2Ki"].map(parsed)
        let sorted = values.sorted()
        #expect(zip(sorted, sorted.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(sorted.first?.description == "-2Ki")
        #expect(sorted.last?.description == "1Gi")
        #expect(sorted.map(\.value) == [-2048, -1, 0, 1, 1024, 1_000_000_000, 1_000_000_000, 1_047_527_424, 1 << 30])
        #expect(try parsed("1e9") == parsed("1G"))
        #expect(try parsed("999Mi") < parsed("1Gi"))
        #expect(try parsed("1G") < parsed("999Mi"))
    }

    @Test func equalityAndHashingAreByValue() throws {
        #expect(try parsed("1000m") == parsed("1"))
        #expect(try parsed("1Gi") == parsed("1024Mi"))
        #expect(try parsed("1e3") == parsed("1k"))
        #expect(try parsed("0") == parsed("0Ki"))
        #expect(try parsed("-0") == Quantity.zero)
        #expect(try parsed("1.5") != parsed("1.6"))
        #expect(try parsed("+1") == parsed("1"))
        let set: Set<Quantity> = try Set(["1000m", "1", "1e0", "0.001k", "1.000", "2", "2000m"].map(parsed))
        #expect(set.count == 2)
        #expect(try parsed("1000m").hashValue == parsed("1").hashValue)
    }
}

@Suite struct QuantityArithmeticTests {
    // TestAdd, with the format rule: the left operand's, or the right's when left is zero.
    static let addTable: [(Quantity, Quantity, Quantity, Quantity.Format)] = [
        (q(10, 0), q(1, 1), q(20, 0), Quantity.Format.decimalSI),
        (q(10, 0), q(1, 0, .binarySI), q(11, 0), .decimalSI),
        (q(10, 0, .binarySI), q(1, 0), q(11, 0), .binarySI),
        (Quantity.zero, q(50, 0), q(50, 0), .decimalSI),
        (q(50, 0), Quantity.zero, q(50, 0), .decimalSI),
        (Quantity.zero, Quantity.zero, q(0, 0), .decimalSI),
        (q(0, 0, .decimalExponent), q(3, 0, .binarySI), q(3, 0), .binarySI),
    ]

    @Test(arguments: addTable)
    func add(_ lhs: Quantity, _ rhs: Quantity, _ expected: Quantity, _ format: Quantity.Format) {
        let sum = lhs + rhs
        #expect(sum == expected)
        #expect(sum.format == format)
        var accumulated = lhs
        accumulated += rhs
        #expect(accumulated == expected)
    }

    // TestSub
    static let subtractTable: [(Quantity, Quantity, Quantity, Quantity.Format)] = [
        (q(10, 0), q(1, 1), q(0, 0), Quantity.Format.decimalSI),
        (q(10, 0), q(1, 0, .binarySI), q(9, 0), .decimalSI),
        (q(10, 0, .binarySI), q(1, 0), q(9, 0), .binarySI),
        (Quantity.zero, q(50, 0), q(-50, 0), .decimalSI),
        (q(50, 0), Quantity.zero, q(50, 0), .decimalSI),
        (Quantity.zero, Quantity.zero, q(0, 0), .decimalSI),
    ]

    @Test(arguments: subtractTable)
    func subtract(_ lhs: Quantity, _ rhs: Quantity, _ expected: Quantity, _ format: Quantity.Format) {
        let difference = lhs - rhs
        #expect(difference == expected)
        #expect(difference.format == format)
        var accumulated = lhs
        accumulated -= rhs
        #expect(accumulated == expected)
    }

    // TestQuantityAddZeroPreservesSuffix, TestQuantitySubZeroPreservesSuffix
    static let suffixTexts: [String] = ["100m", "1Gi"]

    @Test(arguments: suffixTexts)
    func zeroPreservesSuffix(_ text: String) throws {
        let value = try parsed(text)
        let zero = try parsed("0")
        #expect((value + zero).description == text)
        #expect((zero + value).description == text)
        #expect((value - zero).description == text)
        #expect((zero - value).description == (-value).description)
        #expect((zero - value).description == "-" + text)
    }

    @Test func examples() throws {
        #expect((try parsed("5Gi") + parsed("1Gi")).description == "6Gi")
        #expect((try parsed("5Gi") - parsed("1Gi")).description == "4Gi")
        #expect((try parsed("1Gi") + parsed("512Mi")).description == "1536Mi")
        #expect((try parsed("1Gi") + parsed("1")).description == "1073741825")
        #expect((try parsed("250m") + parsed("750m")).description == "1")
        #expect((try parsed("100m") - parsed("1")).description == "-900m")
        #expect((try parsed("1") - parsed("1000m")).description == "0")
        #expect((try parsed("1E") + parsed("9E")).description == "10E")
        #expect((try parsed("1e3") + parsed("1")).description == "1001")
        #expect((try parsed("0.1n") + parsed("1")).description == "1000000001n")
        #expect((Quantity.milli(250) + .milli(750)) == Quantity(1))
    }

    // TestAddSubRoundTrip and TestAddSubRoundTripAcrossScales, with a fixed seed.
    @Test func addingThenSubtractingCancels() {
        var generator = SplitMix64(seed: 42)
        for scale in -10...10 {
            var total = Quantity.zero
            let values = (0..<100).map { _ in Int64.random(in: 0...Int64.max, using: &generator) }
            for value in values { total += q(value, scale) }
            for value in values { total -= q(value, scale) }
            #expect(total.isZero)
        }
        var total = Quantity.zero
        let values = (0..<100).map { _ in Int64.random(in: 0...Int64.max, using: &generator) }
        for value in values { total += q(value, Int(value % 20) - 10) }
        #expect(total > .zero)
        for value in values { total -= q(value, Int(value % 20) - 10) }
        #expect(total.isZero)
    }

    // TestMul
    static let multiplyTable: [(Quantity, Int64, String)] = [
        (q(10, 0), Int64(10), "100"), (q(10, 0), 1, "10"), (q(10, 0, .binarySI), 1, "10"),
        (Quantity.zero, 50, "0"), (q(50, 0), 0, "0"), (Quantity.zero, 0, "0"),
        (q(10, 0), -10, "-100"), (q(-10, 0), 1, "-10"), (q(10, 0, .binarySI), -1, "-10"),
        (q(-50, 0), 0, "0"), (q(-50, 0), -50, "2500"), (Quantity.zero, -50, "0"),
        (q(mostPositive, 0), 0, "0"), (q(mostPositive, 0), 1, "9223372036854775807"),
        (q(mostPositive, 0), -1, "-9223372036854775807"),
        (q(mostPositive / 2, 0), 2, "9223372036854775806"), (q(mostPositive / -2, 0), -2, "9223372036854775806"),
        (q(mostPositive, 0), 2, "18446744073709551614"), (q(mostPositive, 0), 10, "92233720368547758070"),
        (q(mostPositive, 0), -10, "-92233720368547758070"), (q(mostNegative, 0), 0, "0"),
        (q(mostNegative, 0), 1, "-9223372036854775808"), (q(mostNegative, 0), -1, "9223372036854775808"),
        (q(mostNegative / 2, 0), 2, "-9223372036854775808"), (q(mostNegative / -2, 0), -2, "-9223372036854775808"),
        (q(mostNegative, 0), 2, "-18446744073709551616"), (q(mostNegative, 0), 10, "-92233720368547758080"),
        (q(mostNegative, 0), -10, "92233720368547758080"),
    ]

    @Test(arguments: multiplyTable)
    func multiply(_ value: Quantity, _ factor: Int64, _ expected: String) throws {
        let product = value.multiplied(by: factor)
        #expect(product == (try parsed(expected)))
        #expect(product.format == value.format)
    }

    // TestBinarySIPastEiArithmeticRoundTrip: 2^70 has no binary suffix and no decimal zeros.
    @Test func binaryPastEi() throws {
        let value = try parsed("1Ei").multiplied(by: 1024)
        #expect(value.description == "1180591620717411303424")
        #expect(try parsed(value.description) == value)
        let data = try JSONEncoder().encode([value])
        #expect(String(decoding: data, as: UTF8.self) == #"["1180591620717411303424"]"#)
        #expect(try JSONDecoder().decode([Quantity].self, from: data) == [value])
    }

    // TestNegAndSubAtMostNegative, TestZeroSubMostNegativeInheritsFormat
    @Test func mostNegativeNegatesExactly() throws {
        #expect((-q(mostNegative, 0)).description == "9223372036854775808")
        #expect((Quantity.zero - q(mostNegative, 0)) == (try parsed("9223372036854775808")))
        #expect((q(1, 0) - q(mostNegative, 0)).description == "9223372036854775809")
        #expect((q(1, 1) - q(mostNegative, 0)).description == "9223372036854775818")
        #expect((-q(mostNegative, -3)).description == "9223372036854775808m")
        #expect((q(1, -3) - q(mostNegative, -3)).description == "9223372036854775809m")
        let binary = Quantity.zero - q(mostNegative, 0, .binarySI)
        #expect(binary.format == .binarySI)
        #expect(binary.description == "8Ei")
        #expect(binary == (try parsed("9223372036854775808")))
    }

    // TestQuantityRoundUp
    static let roundUpTable: [(String, Int, Quantity, Bool)] = [
        ("9.01", -3, q(901, -2), true), ("9.01", -2, q(901, -2), true), ("9.01", -1, q(91, -1), false),
        ("9.01", 0, q(10, 0), false), ("9.01", 1, q(10, 0), false), ("9.01", 2, q(100, 0), false),
        ("-9.01", -3, q(-901, -2), true), ("-9.01", -2, q(-901, -2), true), ("-9.01", -1, q(-91, -1), false),
        ("-9.01", 0, q(-10, 0), false), ("-9.01", 1, q(-10, 0), false), ("-9.01", 2, q(-100, 0), false),
    ]

    @Test(arguments: roundUpTable)
    func roundUp(_ input: String, _ scale: Int, _ expected: Quantity, _ exact: Bool) throws {
        let result = try parsed(input).roundedUp(toScale: scale)
        #expect(result.quantity == expected)
        #expect(result.exact == exact)
    }
}

@Suite struct QuantityValueTests {
    // TestNegativeValueRoundsAwayFromZero
    static let valueTable: [(String, Int64, Int64)] = [
        ("-.484785E-7466", Int64(-1), Int64(-1)), (".484785E-7466", 1, 1),
        ("-.484785E-1", -1, -49), (".484785E-1", 1, 49), ("-0.0005", -1, -1), ("0.0005", 1, 1),
        ("-1500m", -2, -1500), ("1500m", 2, 1500),
        ("-9.5000000001Gi", -10200547329, -10200547328108), ("9.5000000001Gi", 10200547329, 10200547328108),
        ("-1", -1, -1000), ("1", 1, 1000), ("0", 0, 0),
        ("0.1m", 1, 1), ("100m", 1, 100), ("1Gi", 1 << 30, (1 << 30) * 1000), ("1Mi", 1 << 20, (1 << 20) * 1000),
    ]

    @Test(arguments: valueTable)
    func valuesRoundAwayFromZero(_ input: String, _ value: Int64, _ milli: Int64) throws {
        let parsedValue = try parsed(input)
        #expect(parsedValue.value == value)
        #expect(parsedValue.milliValue == milli)
    }

    // TestScaledValue: NewScaledQuantity(1, from).ScaledValue(to).
    static let scaledValueTable: [(Int, Int, Int64)] = [
        (-9, -9, Int64(1)), (-9, -6, 1), (-9, -3, 1), (-9, 0, 1), (-6, -9, 1000), (-6, -6, 1), (-6, -3, 1),
        (-6, 0, 1), (-3, -9, 1_000_000), (-3, -6, 1000), (-3, -3, 1), (-3, 0, 1), (0, -9, 1_000_000_000),
        (0, -6, 1_000_000), (0, -3, 1000), (0, 0, 1), (2, -2, 10_000),
    ]

    @Test(arguments: scaledValueTable)
    func scaledValue(_ from: Int, _ to: Int, _ expected: Int64) {
        #expect(q(1, from).scaledValue(scale: to) == expected)
    }

    @Test func valuesSaturateInsteadOfOverflowing() throws {
        #expect(try parsed("10E").value == Int64.max)
        #expect(try parsed("-10E").value == Int64.min)
        #expect(try parsed("9223372036854775807").value == Int64.max)
        #expect(try parsed("-9223372036854775808").value == Int64.min)
        #expect(try parsed("-9223372036854775809").value == Int64.min)
        #expect(try parsed("9223372036854775807").milliValue == Int64.max)
        #expect(try parsed("9223372036854775").milliValue == 9223372036854775000)
        #expect(try parsed("1e2000000000").value == Int64.max)
        #expect(try parsed("1e-2000000000").scaledValue(scale: -9) == 1)
        #expect(try parsed("1e-2000000000").scaledValue(scale: -2000000000) == Int64.max)
    }

    // TestMilliNewSet
    static let milliTable: [(Int64, Quantity.Format, String, Bool)] = [
        (Int64(1), Quantity.Format.decimalSI, "1m", true), (1000, .decimalSI, "1", true),
        (1_234_000, .decimalSI, "1234", true),
        (1024, .binarySI, "1024m", false),  // the format changes
        (1_000_000, .decimalExponent, "1e3", true),
        (1024 * 1024, .binarySI, "1048576m", false),  // the format changes
    ]

    @Test(arguments: milliTable)
    func milliConstructor(_ value: Int64, _ format: Quantity.Format, _ expected: String, _ exact: Bool) throws {
        let milli = Quantity.milli(value, format: format)
        #expect(milli.description == expected)
        #expect(milli.milliValue == value)
        if exact {
            #expect(try parsed(milli.description).milliValue == value)
        }
    }

    // TestNewSet
    static let unitTable: [(Int64, Quantity.Format, String)] = [
        (Int64(1), Quantity.Format.decimalSI, "1"), (1000, .decimalSI, "1k"), (1_234_000, .decimalSI, "1234k"),
        (1024, .binarySI, "1Ki"), (1_000_000, .decimalExponent, "1e6"), (1024 * 1024, .binarySI, "1Mi"),
    ]

    @Test(arguments: unitTable)
    func unitConstructor(_ value: Int64, _ format: Quantity.Format, _ expected: String) throws {
        let quantity = Quantity(value, format: format)
        #expect(quantity.description == expected)
        #expect(try parsed(quantity.description).value == value)
    }

    // TestNewScaledSet
    static let scaledTable: [(Int64, Int, String)] = [
        (Int64(1), -9, "1n"), (1000, -9, "1u"), (1, -6, "1u"), (1000, -6, "1m"), (1, -3, "1m"),
        (1000, -3, "1"), (1, 0, "1"), (0, -9, "0"), (0, -6, "0"), (0, -3, "0"), (0, 0, "0"),
    ]

    @Test(arguments: scaledTable)
    func scaledConstructor(_ value: Int64, _ scale: Int, _ expected: String) throws {
        let quantity = Quantity(scaled: value, scale: scale)
        #expect(quantity.description == expected)
        #expect(try parsed(quantity.description).scaledValue(scale: scale) == value)
    }

    @Test func schedulerConstructors() {
        #expect(Quantity.milli(250).description == "250m")
        #expect(Quantity.milli(2000).description == "2")
        #expect(Quantity.bytes(1 << 30).description == "1Gi")
        #expect(Quantity.bytes(1_500_000_000).description == "1500000000")
        #expect(Quantity.bytes(512 << 20).description == "512Mi")
        #expect(Quantity.bytes(1000, format: .decimalSI).description == "1k")
        #expect(Quantity.bytes(1 << 30).value == 1 << 30)
        #expect(Quantity.milli(1500).value == 2)
        #expect(Quantity.zero.isZero && Quantity.zero.signum() == 0)
        #expect(Quantity.milli(-1).signum() == -1 && Quantity.milli(1).signum() == 1)
        #expect(Quantity(7).format == .decimalSI)
    }
}

@Suite struct QuantityCodingTests {
    private struct Resources: Codable, Equatable {
        var limits: [String: Quantity]
        var sizeLimit: Quantity?
    }

    @Test func encodesTheKubernetesString() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let resources = Resources(
            limits: ["cpu": try parsed("0.5"), "memory": try parsed("1.5Gi"), "kept": try parsed("+1")],
            sizeLimit: try parsed("1024Mi"))
        let json = String(decoding: try encoder.encode(resources), as: UTF8.self)
        #expect(json == #"{"limits":{"cpu":"500m","kept":"+1","memory":"1536Mi"},"sizeLimit":"1Gi"}"#)
        #expect(try JSONDecoder().decode(Resources.self, from: Data(json.utf8)) == resources)
    }

    static let roundTripTexts: [String] = [
        "0", "100m", "1Gi", "1.5Gi", "1e3", "-0.5", "12E", "9999999999999999999.1", "0.1n",
        "7Ei", "+1", "1.100k", "123456789012345678901234567890",
    ]

    @Test(arguments: roundTripTexts)
    func roundTrip(_ text: String) throws {
        let value = try parsed(text)
        let data = try JSONEncoder().encode(value)
        let back = try JSONDecoder().decode(Quantity.self, from: data)
        #expect(back == value)
        #expect(back.description == value.description)
        #expect(back.format == value.format)
    }

    // TestJSONWhitespace, plus numbers Kubernetes accepts.
    static let decodeTable: [(String, String)] = [
        (#"" 1""#, "1"), (#""1 ""#, "1"), ("1", "1"), (" 1", "1"), ("1 ", "1"), ("10", "10"), ("-1", "-1"),
        (" -1", "-1"), (#""\t100m\n""#, "100m"), ("1.5", "1500m"), ("0.25", "250m"), ("-0.5", "-500m"),
        ("1000", "1k"), ("9223372036854775808", "9223372036854775808"), ("1e-30", "1n"), ("null", "0"),
    ]

    @Test(arguments: decodeTable)
    func decodes(_ json: String, _ expected: String) throws {
        let value = try JSONDecoder().decode(Quantity.self, from: Data(json.utf8))
        #expect(value.description == expected)
    }

    static let invalidJSONTable: [(String, QuantityParseError)] = [
        (#""""#, QuantityParseError.formatWrong), (#""abc""#, .formatWrong), (#""1.1.M""#, .formatWrong),
        (#""1ki""#, .suffix), (#""1Kb""#, .formatWrong), (#""0.1mi""#, .suffix), (#""e-10""#, .numeric),
    ]

    @Test(arguments: invalidJSONTable)
    func invalidIsDataCorrupted(_ json: String, _ error: QuantityParseError) {
        do {
            _ = try JSONDecoder().decode(Quantity.self, from: Data(json.utf8))
            Issue.record("decoded \(json)")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.debugDescription == error.message)
            #expect(context.underlyingError as? QuantityParseError == error)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func nonStringNonNumberIsATypeMismatch() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Quantity.self, from: Data("true".utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Quantity.self, from: Data("{}".utf8)) }
    }

    @Test func invalidInsideAnObjectKeepsTheCodingPath() {
        let json = #"{"limits":{"cpu":"1 core"}}"#
        do {
            _ = try JSONDecoder().decode(Resources.self, from: Data(json.utf8))
            Issue.record("decoded")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.codingPath.map(\.stringValue) == ["limits", "cpu"])
            #expect(context.debugDescription == QuantityParseError.formatWrong.message)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

/// A seeded generator, so the randomized tables are the same on every run.
private struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
