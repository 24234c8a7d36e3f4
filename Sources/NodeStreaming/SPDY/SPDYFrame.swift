/// One SPDY/3.1 frame (draft 3.1 §2.2, §2.6), as read from or written to a connection. Header blocks are
/// held decompressed; the reader and writer of a connection keep its two compression contexts.
enum SPDYFrame: Equatable, Sendable {
    case synStream(SPDYSynStream)
    case synReply(streamID: UInt32, headers: SPDYHeaders, fin: Bool)
    case rstStream(streamID: UInt32, status: SPDYResetStatus)
    case settings([SPDYSetting])
    case ping(id: UInt32)
    case goAway(lastGoodStreamID: UInt32, status: UInt32)
    case headers(streamID: UInt32, headers: SPDYHeaders, fin: Bool)
    case windowUpdate(streamID: UInt32, delta: UInt32)
    case data(streamID: UInt32, payload: [UInt8], fin: Bool)

    /// The control frame type numbers.
    enum ControlType: UInt16 {
        case synStream = 1, synReply = 2, rstStream = 3, settings = 4, ping = 6, goAway = 7, headers = 8, windowUpdate = 9
    }

    static let version: UInt16 = 3
    /// FLAG_FIN of SYN_STREAM, SYN_REPLY, HEADERS and DATA.
    static let finFlag: UInt8 = 0x01
    /// FLAG_UNIDIRECTIONAL of SYN_STREAM.
    static let unidirectionalFlag: UInt8 = 0x02
    /// Every frame starts with 8 bytes: control bit, version/stream, type, flags, 24-bit length.
    static let headerLength = 8
    /// Largest payload a frame can carry (24-bit length).
    static let maxLength = (1 << 24) - 1
    /// GOAWAY status of a connection ended for a protocol error.
    static let goAwayProtocolError: UInt32 = 1
}

/// A SYN_STREAM frame: the peer opens stream `streamID` (odd from a client) with `headers`.
struct SPDYSynStream: Equatable, Sendable {
    var streamID: UInt32
    var associatedStreamID: UInt32 = 0
    /// 0 (highest) to 7.
    var priority: UInt8 = 0
    var headers: SPDYHeaders
    /// The sender will send nothing more on the stream.
    var fin = false
    var unidirectional = false
}

/// RST_STREAM status codes (§2.6.3).
struct SPDYResetStatus: RawRepresentable, Equatable, Sendable {
    var rawValue: UInt32
    static let protocolError = SPDYResetStatus(rawValue: 1)
    static let invalidStream = SPDYResetStatus(rawValue: 2)
    static let refusedStream = SPDYResetStatus(rawValue: 3)
    static let cancel = SPDYResetStatus(rawValue: 5)
    static let internalError = SPDYResetStatus(rawValue: 6)
    static let streamInUse = SPDYResetStatus(rawValue: 8)
    static let streamAlreadyClosed = SPDYResetStatus(rawValue: 9)
}

/// One entry of a SETTINGS frame.
struct SPDYSetting: Equatable, Sendable {
    var flags: UInt8 = 0
    var id: UInt32
    var value: UInt32

    /// SETTINGS_INITIAL_WINDOW_SIZE.
    static let initialWindowSizeID: UInt32 = 7
}

/// A header block: name/value pairs in order. Names are lowercase on the wire; a value holding several
/// values separates them with NUL.
struct SPDYHeaders: Equatable, Sendable, ExpressibleByDictionaryLiteral {
    struct Field: Equatable, Sendable {
        var name: String
        var value: String
    }

    var fields: [Field]

    init(_ fields: [Field] = []) {
        self.fields = fields
    }

    init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { Field(name: $0.0, value: $0.1) }
    }

    /// The first value of `name` (compared without case).
    subscript(name: String) -> String? {
        let lowered = name.lowercased()
        return fields.first { $0.name == lowered }?.value.split(separator: "\0", omittingEmptySubsequences: false)
            .first.map(String.init)
    }
}

/// A connection-level violation of SPDY/3.1: the connection ends (with GOAWAY when it still can).
struct SPDYProtocolError: Error, Equatable, CustomStringConvertible {
    var message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}
