/// DNS messages (RFC 1035) as far as a cluster DNS server needs them: questions, A/CNAME/PTR/SRV/SOA records,
/// EDNS(0) (RFC 6891) for the UDP size. Names are read with compression and written without.
public struct DNSMessage: Equatable, Sendable {
    public var id: UInt16
    public var isResponse: Bool
    public var opcode: UInt8
    public var authoritative: Bool
    public var truncated: Bool
    public var recursionDesired: Bool
    public var recursionAvailable: Bool
    public var rcode: DNSResponseCode
    public var questions: [DNSQuestion]
    public var answers: [DNSRecord]
    public var authority: [DNSRecord]
    /// Additional records (the A records of SRV targets); the OPT record is `ednsUDPSize`.
    public var additional: [DNSRecord]
    /// The EDNS(0) UDP payload size the sender accepts, when it sent an OPT record.
    public var ednsUDPSize: UInt16?

    public init(id: UInt16, isResponse: Bool = false, opcode: UInt8 = 0, authoritative: Bool = false,
                truncated: Bool = false, recursionDesired: Bool = false, recursionAvailable: Bool = false,
                rcode: DNSResponseCode = .noError, questions: [DNSQuestion] = [], answers: [DNSRecord] = [],
                authority: [DNSRecord] = [], additional: [DNSRecord] = [], ednsUDPSize: UInt16? = nil) {
        self.id = id
        self.isResponse = isResponse
        self.opcode = opcode
        self.authoritative = authoritative
        self.truncated = truncated
        self.recursionDesired = recursionDesired
        self.recursionAvailable = recursionAvailable
        self.rcode = rcode
        self.questions = questions
        self.answers = answers
        self.authority = authority
        self.additional = additional
        self.ednsUDPSize = ednsUDPSize
    }
}

public enum DNSResponseCode: UInt8, Sendable {
    case noError = 0, formatError = 1, serverFailure = 2, nameError = 3, notImplemented = 4, refused = 5
}

public enum DNSType: UInt16, Sendable {
    case a = 1, ns = 2, cname = 5, soa = 6, ptr = 12, txt = 16, aaaa = 28, srv = 33, opt = 41, any = 255
}

public struct DNSQuestion: Equatable, Sendable {
    /// The name, lower-cased, without the trailing dot.
    public var name: String
    public var type: UInt16
    public var qclass: UInt16

    public init(name: String, type: UInt16, qclass: UInt16 = 1) {
        self.name = name
        self.type = type
        self.qclass = qclass
    }
}

public struct DNSRecord: Equatable, Sendable {
    public enum Data: Equatable, Sendable {
        case a(UInt32)
        case cname(String)
        case ptr(String)
        case srv(priority: UInt16, weight: UInt16, port: UInt16, target: String)
        case soa(primary: String, mailbox: String, serial: UInt32, refresh: UInt32, retry: UInt32, expire: UInt32,
                 minimum: UInt32)

        var type: DNSType {
            switch self {
            case .a: .a
            case .cname: .cname
            case .ptr: .ptr
            case .srv: .srv
            case .soa: .soa
            }
        }
    }

    public var name: String
    public var ttl: UInt32
    public var data: Data

    public init(name: String, ttl: UInt32, data: Data) {
        self.name = name
        self.ttl = ttl
        self.data = data
    }
}

public enum DNSParseError: Error, Equatable {
    case truncated, badLabel, pointerLoop
}

// MARK: Reading

extension DNSMessage {
    /// Reads a message: the header, the questions, the records of the types `DNSRecord` knows (others are
    /// skipped) and, from the additional section, an OPT record's UDP size.
    public init(parsing bytes: [UInt8]) throws(DNSParseError) {
        var reader = DNSReader(bytes: bytes)
        id = try reader.u16()
        let flags = try reader.u16()
        isResponse = flags & 0x8000 != 0
        opcode = UInt8((flags >> 11) & 0xF)
        authoritative = flags & 0x0400 != 0
        truncated = flags & 0x0200 != 0
        recursionDesired = flags & 0x0100 != 0
        recursionAvailable = flags & 0x0080 != 0
        rcode = DNSResponseCode(rawValue: UInt8(flags & 0xF)) ?? .serverFailure
        let counts = (try reader.u16(), try reader.u16(), try reader.u16(), try reader.u16())
        questions = []
        for _ in 0..<counts.0 {
            let name = try reader.name()
            questions.append(DNSQuestion(name: name, type: try reader.u16(), qclass: try reader.u16()))
        }
        answers = []
        authority = []
        additional = []
        ednsUDPSize = nil
        for _ in 0..<counts.1 { if let record = try reader.record() { answers.append(record) } }
        for _ in 0..<counts.2 { if let record = try reader.record() { authority.append(record) } }
        for _ in 0..<counts.3 {
            let start = reader.offset
            _ = try reader.name()
            let type = try reader.u16()
            let rclass = try reader.u16()
            if type == DNSType.opt.rawValue {
                _ = try reader.u32()
                try reader.skip(Int(try reader.u16()))
                ednsUDPSize = rclass
            } else {
                reader.offset = start
                if let record = try reader.record() { additional.append(record) }
            }
        }
    }
}

struct DNSReader {
    let bytes: [UInt8]
    var offset = 0

    mutating func u8() throws(DNSParseError) -> UInt8 {
        guard offset < bytes.count else { throw .truncated }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16() throws(DNSParseError) -> UInt16 { UInt16(try u8()) << 8 | UInt16(try u8()) }

    mutating func u32() throws(DNSParseError) -> UInt32 { UInt32(try u16()) << 16 | UInt32(try u16()) }

    mutating func skip(_ count: Int) throws(DNSParseError) {
        guard offset + count <= bytes.count else { throw .truncated }
        offset += count
    }

    /// A resource record at the cursor; nil (skipped) for types this server never writes.
    mutating func record() throws(DNSParseError) -> DNSRecord? {
        let owner = try name()
        let type = try u16()
        _ = try u16()
        let ttl = try u32()
        let length = Int(try u16())
        let end = offset + length
        guard end <= bytes.count else { throw .truncated }
        defer { offset = end }
        let data: DNSRecord.Data
        switch DNSType(rawValue: type) {
        case .a?: data = .a(try u32())
        case .cname?: data = .cname(try name())
        case .ptr?: data = .ptr(try name())
        case .srv?: data = .srv(priority: try u16(), weight: try u16(), port: try u16(), target: try name())
        case .soa?:
            data = .soa(primary: try name(), mailbox: try name(), serial: try u32(), refresh: try u32(),
                        retry: try u32(), expire: try u32(), minimum: try u32())
        default: return nil
        }
        return DNSRecord(name: owner, ttl: ttl, data: data)
    }

    /// A name at the cursor (following compression pointers), lower-cased, without the trailing dot.
    mutating func name() throws(DNSParseError) -> String {
        var labels: [String] = []
        var position = offset
        var jumped = false
        var jumps = 0
        while true {
            guard position < bytes.count else { throw .truncated }
            let length = Int(bytes[position])
            if length & 0xC0 == 0xC0 {
                guard position + 1 < bytes.count else { throw .truncated }
                let target = (length & 0x3F) << 8 | Int(bytes[position + 1])
                if !jumped { offset = position + 2 }
                jumped = true
                jumps += 1
                guard jumps < 64 else { throw .pointerLoop }
                position = target
                continue
            }
            guard length & 0xC0 == 0 else { throw .badLabel }
            position += 1
            if length == 0 { break }
            guard position + length <= bytes.count else { throw .truncated }
            labels.append(String(decoding: bytes[position..<(position + length)], as: UTF8.self).lowercased())
            position += length
        }
        if !jumped { offset = position }
        return labels.joined(separator: ".")
    }
}

// MARK: Writing

extension DNSMessage {
    /// The wire form. With `limit`, records that do not fit are left out (answers last first) and the
    /// message is marked truncated.
    public func encoded(limit: Int? = nil) -> [UInt8] {
        var full = encode(answers: answers, authority: authority, additional: additional, truncated: truncated)
        guard let limit, full.count > limit else { return full }
        // Additional records go first, then answers from the end; what is cut is marked truncated.
        full = encode(answers: answers, authority: authority, additional: [], truncated: false)
        if full.count <= limit { return full }
        var kept = answers
        while full.count > limit, !kept.isEmpty {
            kept.removeLast()
            full = encode(answers: kept, authority: [], additional: [], truncated: true)
        }
        if full.count > limit { full = encode(answers: [], authority: [], additional: [], truncated: true) }
        return full
    }

    private func encode(answers: [DNSRecord], authority: [DNSRecord], additional: [DNSRecord], truncated: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        var flags: UInt16 = UInt16(opcode & 0xF) << 11 | UInt16(rcode.rawValue)
        if isResponse { flags |= 0x8000 }
        if authoritative { flags |= 0x0400 }
        if truncated { flags |= 0x0200 }
        if recursionDesired { flags |= 0x0100 }
        if recursionAvailable { flags |= 0x0080 }
        append16(id, to: &out)
        append16(flags, to: &out)
        append16(UInt16(questions.count), to: &out)
        append16(UInt16(answers.count), to: &out)
        append16(UInt16(authority.count), to: &out)
        append16(UInt16(additional.count) + (ednsUDPSize == nil ? 0 : 1), to: &out)
        for question in questions {
            appendName(question.name, to: &out)
            append16(question.type, to: &out)
            append16(question.qclass, to: &out)
        }
        for record in answers + authority + additional { append(record, to: &out) }
        if let size = ednsUDPSize {
            out.append(0)  // root name
            append16(DNSType.opt.rawValue, to: &out)
            append16(size, to: &out)
            append32(0, to: &out)
            append16(0, to: &out)
        }
        return out
    }

    private func append(_ record: DNSRecord, to out: inout [UInt8]) {
        appendName(record.name, to: &out)
        append16(record.data.type.rawValue, to: &out)
        append16(1, to: &out)
        append32(record.ttl, to: &out)
        var rdata: [UInt8] = []
        switch record.data {
        case .a(let address): append32(address, to: &rdata)
        case .cname(let name), .ptr(let name): appendName(name, to: &rdata)
        case .srv(let priority, let weight, let port, let target):
            append16(priority, to: &rdata)
            append16(weight, to: &rdata)
            append16(port, to: &rdata)
            appendName(target, to: &rdata)
        case .soa(let primary, let mailbox, let serial, let refresh, let retry, let expire, let minimum):
            appendName(primary, to: &rdata)
            appendName(mailbox, to: &rdata)
            for value in [serial, refresh, retry, expire, minimum] { append32(value, to: &rdata) }
        }
        append16(UInt16(rdata.count), to: &out)
        out += rdata
    }

    private func appendName(_ name: String, to out: inout [UInt8]) {
        for label in name.split(separator: ".") {
            let bytes = Array(label.utf8.prefix(63))
            out.append(UInt8(bytes.count))
            out += bytes
        }
        out.append(0)
    }

    private func append16(_ value: UInt16, to out: inout [UInt8]) {
        out.append(UInt8(value >> 8))
        out.append(UInt8(value & 0xFF))
    }

    private func append32(_ value: UInt32, to out: inout [UInt8]) {
        append16(UInt16(value >> 16), to: &out)
        append16(UInt16(value & 0xFFFF), to: &out)
    }
}
