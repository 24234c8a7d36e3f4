/// One parsed record of a CRI log file: `<RFC 3339 time> <stdout|stderr> <P|F>[:more tags] <content>`.
/// Pure; the kubelet's `parseCRILog`.
public struct CRILogRecord: Sendable, Equatable {
    public var time: LogTime
    public var stream: CRILogFormat.Stream
    /// `P`: a piece of a longer line, continued by the stream's next record; `F`: the end of a line.
    public var partial: Bool
    /// The record's text without the line's newline.
    public var content: [UInt8]

    public init(time: LogTime, stream: CRILogFormat.Stream, partial: Bool, content: [UInt8]) {
        self.time = time
        self.stream = stream
        self.partial = partial
        self.content = content
    }

    /// Parses one record (without its trailing newline); `nil` if it is malformed (the kubelet skips those).
    /// A record with nothing after the tag has empty content, as containerd writes an empty line.
    public init?(line: some Collection<UInt8>) {
        let fields = line.split(separator: UInt8(ascii: " "), maxSplits: 3, omittingEmptySubsequences: false)
        guard fields.count >= 3,
              let time = LogTime(rfc3339: String(decoding: fields[0], as: UTF8.self)),
              let stream = CRILogFormat.Stream(rawValue: String(decoding: fields[1], as: UTF8.self))
        else { return nil }
        let tag = fields[2].split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false).first ?? []
        switch String(decoding: tag, as: UTF8.self) {
        case "P": partial = true
        case "F": partial = false
        default: return nil
        }
        self.time = time
        self.stream = stream
        content = fields.count == 4 ? Array(fields[3]) : []
    }
}
