/// Turns frames into bytes for one connection. It owns the connection's outgoing header compression
/// context, so one writer serves a connection and frames must go on the wire in the order it encodes them.
struct SPDYFrameWriter {
    private let deflater = SPDYHeaderDeflater()

    func encode(_ frame: SPDYFrame) -> [UInt8] {
        switch frame {
        case .synStream(let syn):
            var body: [UInt8] = []
            body.appendUInt32(syn.streamID & 0x7FFF_FFFF)
            body.appendUInt32(syn.associatedStreamID & 0x7FFF_FFFF)
            body += [(syn.priority & 0x07) << 5, 0]
            body += deflater.compress(Self.block(syn.headers))
            let flags = (syn.fin ? SPDYFrame.finFlag : 0) | (syn.unidirectional ? SPDYFrame.unidirectionalFlag : 0)
            return Self.control(.synStream, flags: flags, body)
        case .synReply(let streamID, let headers, let fin):
            return Self.control(.synReply, flags: fin ? SPDYFrame.finFlag : 0, Self.streamID(streamID) + deflater.compress(Self.block(headers)))
        case .headers(let streamID, let headers, let fin):
            return Self.control(.headers, flags: fin ? SPDYFrame.finFlag : 0, Self.streamID(streamID) + deflater.compress(Self.block(headers)))
        case .rstStream(let streamID, let status):
            return Self.control(.rstStream, flags: 0, Self.streamID(streamID) + Self.uint32(status.rawValue))
        case .settings(let settings):
            var body = Self.uint32(UInt32(settings.count))
            for setting in settings {
                body += [setting.flags, UInt8(setting.id >> 16 & 0xFF), UInt8(setting.id >> 8 & 0xFF), UInt8(setting.id & 0xFF)]
                body.appendUInt32(setting.value)
            }
            return Self.control(.settings, flags: 0, body)
        case .ping(let id):
            return Self.control(.ping, flags: 0, Self.uint32(id))
        case .goAway(let lastGoodStreamID, let status):
            return Self.control(.goAway, flags: 0, Self.streamID(lastGoodStreamID) + Self.uint32(status))
        case .windowUpdate(let streamID, let delta):
            return Self.control(.windowUpdate, flags: 0, Self.streamID(streamID) + Self.uint32(delta & 0x7FFF_FFFF))
        case .data(let streamID, let payload, let fin):
            return Self.streamID(streamID) + [fin ? SPDYFrame.finFlag : 0] + Self.length(payload.count) + payload
        }
    }

    /// An uncompressed name/value block (§2.6.10): 32-bit counts and lengths, names lowercased.
    static func block(_ headers: SPDYHeaders) -> [UInt8] {
        var bytes = uint32(UInt32(headers.fields.count))
        for field in headers.fields {
            let name = Array(field.name.lowercased().utf8)
            bytes.appendUInt32(UInt32(name.count))
            bytes += name
            bytes.appendUInt32(UInt32(field.value.utf8.count))
            bytes += Array(field.value.utf8)
        }
        return bytes
    }

    private static func control(_ type: SPDYFrame.ControlType, flags: UInt8, _ body: [UInt8]) -> [UInt8] {
        [0x80 | UInt8(SPDYFrame.version >> 8), UInt8(SPDYFrame.version & 0xFF), UInt8(type.rawValue >> 8),
         UInt8(type.rawValue & 0xFF), flags] + length(body.count) + body
    }

    private static func length(_ count: Int) -> [UInt8] {
        precondition(count <= SPDYFrame.maxLength, "SPDY frame of \(count) bytes")
        return [UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)]
    }

    private static func streamID(_ id: UInt32) -> [UInt8] { uint32(id & 0x7FFF_FFFF) }

    private static func uint32(_ value: UInt32) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendUInt32(value)
        return bytes
    }
}
