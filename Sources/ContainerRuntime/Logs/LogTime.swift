/// An instant as a CRI log record stamps it: whole seconds since the Unix epoch plus nanoseconds (0..<1e9).
/// Ordered by time; parsed from RFC 3339 (Go's lenient RFC3339Nano, as the kubelet reads records) and printed
/// as RFC 3339 with exactly nine fractional digits in UTC (Go's RFC3339NanoFixed, as `kubectl logs
/// --timestamps` shows it).
public struct LogTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var seconds: Int
    public var nanoseconds: Int

    public init(seconds: Int, nanoseconds: Int = 0) {
        self.seconds = seconds + nanoseconds.floorDivided(by: 1_000_000_000)
        self.nanoseconds = nanoseconds.floorModulo(1_000_000_000)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` (fraction of 1 to 9 digits); `nil` for anything else.
    public init?(rfc3339 text: some StringProtocol) {
        var scanner = DigitScanner(Array(text.utf8))
        guard let year = scanner.number(4), scanner.skip("-"), let month = scanner.number(2), scanner.skip("-"),
              let day = scanner.number(2), scanner.skip("T") || scanner.skip("t"), let hour = scanner.number(2),
              scanner.skip(":"), let minute = scanner.number(2), scanner.skip(":"), let second = scanner.number(2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var nanoseconds = 0
        if scanner.skip(".") {
            var digits = 0
            while digits < 9, let digit = scanner.number(1) {
                nanoseconds = nanoseconds * 10 + digit
                digits += 1
            }
            guard digits > 0, scanner.number(1) == nil else { return nil }
            for _ in digits..<9 { nanoseconds *= 10 }
        }
        var offset = 0
        if !(scanner.skip("Z") || scanner.skip("z")) {
            let sign = scanner.skip("+") ? 1 : scanner.skip("-") ? -1 : 0
            guard sign != 0, let offsetHours = scanner.number(2), scanner.skip(":"),
                  let offsetMinutes = scanner.number(2) else { return nil }
            offset = sign * (offsetHours * 3600 + offsetMinutes * 60)
        }
        guard scanner.atEnd else { return nil }
        let days = Self.daysSinceEpoch(year: year, month: month, day: day)
        self.init(seconds: days * 86_400 + hour * 3600 + minute * 60 + second - offset, nanoseconds: nanoseconds)
    }

    /// This instant moved by `seconds` (negative for earlier).
    public func adding(seconds delta: Int) -> LogTime { LogTime(seconds: seconds + delta, nanoseconds: nanoseconds) }

    /// RFC 3339 in UTC with nine fractional digits, e.g. `2024-01-01T00:00:00.000000000Z`.
    public var description: String { CRILogFormat.timestamp(seconds: seconds, nanoseconds: nanoseconds) }

    public static func < (lhs: LogTime, rhs: LogTime) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = shifted.floorDivided(by: 400)
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

/// Reads fixed-width decimal fields and literal characters from ASCII bytes.
private struct DigitScanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    /// The next `width` bytes as a decimal number, consumed only if they are all digits.
    mutating func number(_ width: Int) -> Int? {
        guard index + width <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[index..<index + width] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        index += width
        return value
    }

    /// Consumes `character` if it is next.
    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }
}

extension Int {
    fileprivate func floorDivided(by divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    fileprivate func floorModulo(_ divisor: Int) -> Int { self - floorDivided(by: divisor) * divisor }
}
