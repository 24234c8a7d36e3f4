/// A whole log line as `kubectl logs` shows it: the joined content of a stream's `P` records and the `F` record
/// that ends them, stamped with the time of its first record.
public struct LogLine: Sendable, Equatable {
    public var time: LogTime
    public var stream: CRILogFormat.Stream
    /// The text including its trailing newline.
    public var content: [UInt8]

    public init(time: LogTime, stream: CRILogFormat.Stream, content: [UInt8]) {
        self.time = time
        self.stream = stream
        self.content = content
    }
}

/// Turns the bytes of CRI log files, fed in any chunks, into `LogLine`s. Malformed records are skipped (the
/// kubelet logs and skips them); partial records are joined per stream until their `F` record. Bytes after the
/// last newline wait for the next chunk. Pure.
public struct CRILogDecoder: Sendable {
    private var buffered: [UInt8] = []
    private var pieces: [CRILogFormat.Stream: LogLine] = [:]

    public init() {}

    /// The lines completed by `bytes`.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [LogLine] {
        buffered.append(contentsOf: bytes)
        guard let lastNewline = buffered.lastIndex(of: UInt8(ascii: "\n")) else { return [] }
        var lines: [LogLine] = []
        let records = buffered[..<lastNewline].split(separator: UInt8(ascii: "\n"))
        for recordLine in records {
            guard let record = CRILogRecord(line: recordLine) else { continue }
            var line = pieces.removeValue(forKey: record.stream)
                ?? LogLine(time: record.time, stream: record.stream, content: [])
            line.content += record.content
            if record.partial {
                pieces[record.stream] = line
            } else {
                line.content.append(UInt8(ascii: "\n"))
                lines.append(line)
            }
        }
        buffered.removeFirst(lastNewline + 1)
        return lines
    }
}
