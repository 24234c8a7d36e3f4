import Glibc

/// The Kubernetes CRI container log format: one record per line,
/// `2024-01-01T00:00:00.000000000Z stdout F text`, where `F` marks the end of a line and `P` a piece of a
/// line longer than `maxLineSize` (continued by the next record). Pure: the caller supplies the time.
public struct CRILogFormat: Sendable {
    public enum Stream: String, Sendable {
        case stdout, stderr
    }

    /// containerd's default maximum record size (16 KiB).
    public static let defaultMaxLineSize = 16 * 1024

    public let stream: Stream
    public let maxLineSize: Int
    private var pending: [UInt8] = []

    public init(stream: Stream, maxLineSize: Int = CRILogFormat.defaultMaxLineSize) {
        self.stream = stream
        self.maxLineSize = maxLineSize
    }

    /// Records for the complete lines (and over-long pieces) in what has been read so far.
    public mutating func append(_ bytes: some Collection<UInt8>, timestamp: String) -> [UInt8] {
        pending.append(contentsOf: bytes)
        var output: [UInt8] = []
        var start = 0
        while true {
            let limit = min(pending.count, start + maxLineSize)
            if let newline = pending[start..<limit].firstIndex(of: UInt8(ascii: "\n")) {
                record(pending[start..<newline], partial: false, timestamp: timestamp, into: &output)
                start = newline + 1
            } else if pending.count - start >= maxLineSize {
                record(pending[start..<limit], partial: true, timestamp: timestamp, into: &output)
                start = limit
            } else {
                break
            }
        }
        pending.removeFirst(start)
        return output
    }

    /// The record for a last line without a newline at end of stream (written as a full line, as containerd
    /// does), or nothing.
    public mutating func finish(timestamp: String) -> [UInt8] {
        guard !pending.isEmpty else { return [] }
        var output: [UInt8] = []
        record(pending[...], partial: false, timestamp: timestamp, into: &output)
        pending = []
        return output
    }

    private func record(_ line: ArraySlice<UInt8>, partial: Bool, timestamp: String, into output: inout [UInt8]) {
        output.append(contentsOf: "\(timestamp) \(stream.rawValue) \(partial ? "P" : "F") ".utf8)
        output.append(contentsOf: line)
        output.append(UInt8(ascii: "\n"))
    }

    /// `clock_gettime(CLOCK_REALTIME)` as RFC 3339 with nanoseconds in UTC, e.g. `2024-01-01T00:00:00.000000000Z`.
    public static func timestamp(seconds: Int, nanoseconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(Int(parts.tm_year) + 1900, 4))-\(padded(Int(parts.tm_mon) + 1, 2))-"
            + "\(padded(Int(parts.tm_mday), 2))T\(padded(Int(parts.tm_hour), 2)):\(padded(Int(parts.tm_min), 2)):"
            + "\(padded(Int(parts.tm_sec), 2)).\(padded(nanoseconds, 9))Z"
    }

    /// The current time as a record timestamp.
    public static func now() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return timestamp(seconds: spec.tv_sec, nanoseconds: spec.tv_nsec)
    }
}
