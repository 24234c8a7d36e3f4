/// Reads frames from the bytes of one connection as they arrive, split anywhere. It owns the connection's
/// incoming header decompression context. Unknown control frame types are skipped, as SPDY/3.1 asks; any
/// malformed frame throws `SPDYProtocolError`, after which the connection must end.
struct SPDYFrameReader {
    private var buffer: [UInt8] = []
    private var start = 0
    private let inflater: SPDYHeaderInflater
    /// Largest frame accepted (payload length).
    let maxFrameLength: Int

    init(maxFrameLength: Int = 1 << 20, maxHeaderBlock: Int = 1 << 20) {
        self.maxFrameLength = maxFrameLength
        inflater = SPDYHeaderInflater(limit: maxHeaderBlock)
    }

    /// Adds bytes received.
    mutating func append<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete frame, or nil until more bytes arrive.
    mutating func next() throws(SPDYProtocolError) -> SPDYFrame? {
        while buffer.count - start >= SPDYFrame.headerLength {
            let header = buffer[start..<start + SPDYFrame.headerLength]
            let length = Int(header[start + 5]) << 16 | Int(header[start + 6]) << 8 | Int(header[start + 7])
            guard length <= maxFrameLength else { throw SPDYProtocolError("frame of \(length) bytes is too large") }
            guard buffer.count - start >= SPDYFrame.headerLength + length else { return nil }
            let flags = header[start + 4]
            let body = Array(buffer[start + SPDYFrame.headerLength..<start + SPDYFrame.headerLength + length])
            let isControl = header[start] & 0x80 != 0
            let first = UInt32(header[start] & 0x7F) << 24 | UInt32(header[start + 1]) << 16
                | UInt32(header[start + 2]) << 8 | UInt32(header[start + 3])
            start += SPDYFrame.headerLength + length
            if start > 64 * 1024 {
                buffer.removeFirst(start)
                start = 0
            }
            guard isControl else {
                guard first != 0 else { throw SPDYProtocolError("DATA frame for stream 0") }
                return .data(streamID: first, payload: body, fin: flags & SPDYFrame.finFlag != 0)
            }
            let version = UInt16(first >> 16)
            guard version == SPDYFrame.version else { throw SPDYProtocolError("unsupported SPDY version \(version)") }
            guard let type = SPDYFrame.ControlType(rawValue: UInt16(first & 0xFFFF)) else { continue }
            return try control(type, flags: flags, body: body)
        }
        return nil
    }

    private func control(_ type: SPDYFrame.ControlType, flags: UInt8, body: [UInt8]) throws(SPDYProtocolError) -> SPDYFrame {
        var body = BodyCursor(bytes: body, type: type)
        let fin = flags & SPDYFrame.finFlag != 0
        switch type {
        case .synStream:
            let streamID = try body.streamID()
            let associated = try body.uint32() & 0x7FFF_FFFF
            let priority = try body.byte() >> 5
            _ = try body.byte()  // slot
            return .synStream(SPDYSynStream(streamID: streamID, associatedStreamID: associated, priority: priority,
                                            headers: try headers(body.rest()), fin: fin,
                                            unidirectional: flags & SPDYFrame.unidirectionalFlag != 0))
        case .synReply:
            return .synReply(streamID: try body.streamID(), headers: try headers(body.rest()), fin: fin)
        case .headers:
            return .headers(streamID: try body.streamID(), headers: try headers(body.rest()), fin: fin)
        case .rstStream:
            return .rstStream(streamID: try body.streamID(), status: SPDYResetStatus(rawValue: try body.uint32()))
        case .settings:
            let count = try body.uint32()
            guard Int(count) * 8 == body.remaining else { throw SPDYProtocolError("SETTINGS frame with a wrong length") }
            var settings: [SPDYSetting] = []
            for _ in 0..<count {
                let flags = try body.byte()
                let id = UInt32(try body.byte()) << 16 | UInt32(try body.byte()) << 8 | UInt32(try body.byte())
                settings.append(SPDYSetting(flags: flags, id: id, value: try body.uint32()))
            }
            return .settings(settings)
        case .ping:
            return .ping(id: try body.uint32())
        case .goAway:
            return .goAway(lastGoodStreamID: try body.uint32() & 0x7FFF_FFFF, status: try body.uint32())
        case .windowUpdate:
            return .windowUpdate(streamID: try body.uint32() & 0x7FFF_FFFF, delta: try body.uint32() & 0x7FFF_FFFF)
        }
    }

    /// A compressed name/value block, decompressed and parsed.
    private func headers(_ compressed: [UInt8]) throws(SPDYProtocolError) -> SPDYHeaders {
        var block = BodyCursor(bytes: try inflater.decompress(compressed), type: nil)
        let count = try block.uint32()
        guard Int(count) <= block.remaining / 8 else { throw SPDYProtocolError("header block with \(count) pairs is too short") }
        var fields: [SPDYHeaders.Field] = []
        for _ in 0..<count {
            let name = try block.string()
            guard !name.isEmpty else { throw SPDYProtocolError("header block with an empty name") }
            fields.append(SPDYHeaders.Field(name: name, value: try block.string()))
        }
        return SPDYHeaders(fields)
    }
}

/// Reads big-endian fields from a frame body, throwing when the body is too short.
private struct BodyCursor {
    let bytes: [UInt8]
    let type: SPDYFrame.ControlType?
    var offset = 0

    var remaining: Int { bytes.count - offset }

    mutating func byte() throws(SPDYProtocolError) -> UInt8 {
        guard offset < bytes.count else { throw truncated() }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint32() throws(SPDYProtocolError) -> UInt32 {
        guard remaining >= 4 else { throw truncated() }
        defer { offset += 4 }
        return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    /// A stream ID, which must not be 0.
    mutating func streamID() throws(SPDYProtocolError) -> UInt32 {
        let id = try uint32() & 0x7FFF_FFFF
        guard id != 0 else { throw SPDYProtocolError("\(type.map { "\($0)" } ?? "frame") for stream 0") }
        return id
    }

    /// A 32-bit length, then that many bytes as UTF-8.
    mutating func string() throws(SPDYProtocolError) -> String {
        let length = Int(try uint32())
        guard length <= remaining else { throw truncated() }
        defer { offset += length }
        return String(decoding: bytes[offset..<offset + length], as: UTF8.self)
    }

    mutating func rest() -> [UInt8] {
        defer { offset = bytes.count }
        return Array(bytes[offset...])
    }

    private func truncated() -> SPDYProtocolError {
        SPDYProtocolError(type.map { "\($0) frame is too short" } ?? "header block is truncated")
    }
}
