/// What part of a container's log to return, as the kubelet's `LogOptions` (from `PodLogOptions`).
public struct LogReadOptions: Sendable, Equatable {
    /// Only the last `tail` lines (across rotated files); `nil` for all.
    public var tail: Int?
    /// Only lines stamped at or after this instant; `nil` for all.
    public var since: LogTime?
    /// Prefix each line with its time (`LogTime.description`) and a space.
    public var timestamps: Bool
    /// Stop after this many output bytes, possibly in the middle of a line; `nil` for no limit.
    public var limitBytes: Int?
    /// The streams to include (the API always asks for both).
    public var streams: Set<CRILogFormat.Stream>

    public init(tail: Int? = nil, since: LogTime? = nil, timestamps: Bool = false, limitBytes: Int? = nil,
                streams: Set<CRILogFormat.Stream> = [.stdout, .stderr]) {
        self.tail = tail
        self.since = since
        self.timestamps = timestamps
        self.limitBytes = limitBytes
        self.streams = streams
    }

    /// `sinceSeconds` as the API server passes it: lines from `seconds` before `now` on.
    public static func since(seconds: Int, before now: LogTime) -> LogTime { now.adding(seconds: -seconds) }
}

/// Renders lines as `kubectl logs` receives them under some options: drops lines of other streams or from
/// before `since`, adds timestamps, and cuts the output at `limitBytes`. Pure.
struct LogLineRenderer: Sendable {
    let options: LogReadOptions
    private(set) var written = 0

    init(options: LogReadOptions) { self.options = options }

    /// Whether `line` passes the stream and `since` filters.
    func includes(_ line: LogLine) -> Bool {
        options.streams.contains(line.stream) && !(options.since.map { line.time < $0 } ?? false)
    }

    /// Whether `limitBytes` has been reached: nothing more will be output.
    var exhausted: Bool { options.limitBytes.map { written >= $0 } ?? false }

    /// The output for `lines` (already filtered or not), within what remains of `limitBytes`.
    mutating func render(_ lines: some Sequence<LogLine>) -> [UInt8] {
        var output: [UInt8] = []
        for line in lines where includes(line) {
            if exhausted { break }
            var bytes = options.timestamps ? Array("\(line.time) ".utf8) + line.content : line.content
            if let limit = options.limitBytes, written + bytes.count > limit {
                bytes.removeLast(written + bytes.count - limit)
            }
            written += bytes.count
            output += bytes
        }
        return output
    }
}
