import NIOCore

/// Answers the server's HTTP/2 PING frames itself, before swift-nio-http2 sees them.
///
/// Why: etcd's gRPC server (grpc-go) estimates bandwidth-delay with a PING after receiving data, in practice
/// one per request. swift-nio-http2 (1.46) closes a connection that receives more than 200 PING/SETTINGS/…
/// frames in 30 s as a denial-of-service guard, and grpc-swift-nio-transport (2.9) does not let a client
/// raise that limit: so every ~200 requests the connection dropped, failing whatever was in flight on it.
/// This handler sits in front of the HTTP/2 handler on plaintext connections, sends the PING ACK with the
/// same payload at once (as RFC 9113 §6.7 asks), and passes every other frame on unchanged. PING ACKs
/// (answers to the client's own keepalive pings) pass through.
final class HTTP2PingResponder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var frames = HTTP2PingFilter()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var input = unwrapInboundIn(data)
        let (forward, pings) = frames.filter(&input)
        for payload in pings {
            var ack = context.channel.allocator.buffer(capacity: HTTP2PingFilter.headerLength + 8)
            ack.writeBytes(HTTP2PingFilter.pingAckHeader)
            ack.writeBytes(payload)
            context.writeAndFlush(wrapOutboundOut(ack), promise: nil)
        }
        for part in forward {
            context.fireChannelRead(wrapInboundOut(part))
        }
    }
}

/// Splits the bytes a server sends into HTTP/2 frames: PING frames to answer (their payloads) are taken out,
/// everything else is passed on as it came. Frames may arrive split across reads at any byte. Pure.
struct HTTP2PingFilter {
    static let headerLength = 9
    /// A PING frame's header with the ACK flag: length 8, type 6, flags 1, stream 0.
    static let pingAckHeader: [UInt8] = [0, 0, 8, 6, 1, 0, 0, 0, 0]

    private enum State {
        /// Collecting the next frame's header.
        case header([UInt8])
        /// Passing on the rest of a frame.
        case passing(remaining: Int)
        /// Collecting the payload of a PING to answer.
        case ping([UInt8])
    }

    private var state = State.header([])

    /// Takes the bytes of `input`; returns what to pass on, in order, and the payloads of PINGs to answer.
    mutating func filter(_ input: inout ByteBuffer) -> (forward: [ByteBuffer], pings: [[UInt8]]) {
        let original = input
        let heldBefore = holdsBytes
        var forward: [ByteBuffer] = []
        var pings: [[UInt8]] = []
        while input.readableBytes > 0 {
            switch state {
            case .passing(let remaining):
                let count = min(remaining, input.readableBytes)
                forward.append(input.readSlice(length: count)!)
                state = remaining == count ? .header([]) : .passing(remaining: remaining - count)
            case .ping(var payload):
                payload += input.readBytes(length: min(8 - payload.count, input.readableBytes))!
                if payload.count == 8 {
                    pings.append(payload)
                    state = .header([])
                } else {
                    state = .ping(payload)
                }
            case .header(var header):
                header += input.readBytes(length: min(Self.headerLength - header.count, input.readableBytes))!
                guard header.count == Self.headerLength else {
                    state = .header(header)
                    continue
                }
                let length = Int(header[0]) << 16 | Int(header[1]) << 8 | Int(header[2])
                let isPing = header[3] == 6 && header[4] & 1 == 0 && length == 8
                if isPing {
                    state = .ping([])
                } else {
                    forward.append(ByteBuffer(bytes: header))
                    state = length > 0 ? .passing(remaining: length) : .header([])
                }
            }
        }
        // Nothing taken out, held back or added from before: pass the read on as it came (no copy).
        if !heldBefore, !holdsBytes, pings.isEmpty { return ([original], pings) }
        return (forward, pings)
    }

    /// Whether bytes of an unfinished frame header or PING are held back.
    private var holdsBytes: Bool {
        switch state {
        case .header(let bytes): return !bytes.isEmpty
        case .ping: return true
        case .passing: return false
        }
    }
}
