import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A DNS server on UDP and TCP (RFC 1035 §4.2; TCP messages carry a two-byte length) for one address and port,
/// answering every query with `answer`; what `answer` REFUSES goes to the `upstream` when one is configured. UDP answers are cut to 512 bytes, or to the client's EDNS(0) size (at most
/// 1232), and marked truncated so the client retries over TCP. Malformed queries get FORMERR when their header
/// could be read, and are dropped otherwise.
public struct DNSServer: Sendable {
    public let host: String
    public let port: Int
    let answer: @Sendable (DNSMessage) -> DNSMessage
    let upstream: DNSUpstream?
    let logger: Logger

    /// `upstream`: where queries `answer` REFUSES (names outside the zone) are forwarded; nil keeps REFUSED.
    public init(host: String, port: Int, upstream: DNSUpstream? = nil, logger: Logger,
                answer: @escaping @Sendable (DNSMessage) -> DNSMessage) {
        self.host = host
        self.port = port
        self.answer = answer
        self.upstream = upstream
        self.logger = logger
    }

    /// Binds both sockets (`bound` is told the UDP and TCP ports, useful with port 0) and serves until cancelled.
    public func run(bound: @Sendable (_ udp: Int, _ tcp: Int) -> Void = { _, _ in }) async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let answer = self.answer
        let upstream = self.upstream
        let udp = try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(UDPHandler(answer: answer, upstream: upstream)) }
            }
            .bind(host: host, port: port).get()
        let tcp: Channel
        do {
            tcp = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(TCPHandler(answer: answer, upstream: upstream))
                    }
                }
                .bind(host: host, port: udp.localAddress?.port ?? port).get()
        } catch {
            try? await udp.close()
            throw error
        }
        bound(udp.localAddress?.port ?? port, tcp.localAddress?.port ?? port)
        logger.info("cluster DNS listening on \(host):\(udp.localAddress?.port ?? port) (UDP and TCP)")
        await withTaskCancellationHandler {
            try? await udp.closeFuture.get()
        } onCancel: {
            udp.close(promise: nil)
            tcp.close(promise: nil)
        }
        try? await tcp.close()
    }

    /// The response to the raw query, or nil when not even its header could be read.
    static func respond(to bytes: [UInt8], answer: (DNSMessage) -> DNSMessage) -> DNSMessage? {
        do {
            let query = try DNSMessage(parsing: bytes)
            guard !query.isResponse else { return nil }
            return answer(query)
        } catch {
            guard bytes.count >= 12 else { return nil }
            return DNSMessage(id: UInt16(bytes[0]) << 8 | UInt16(bytes[1]), isResponse: true, rcode: .formatError)
        }
    }

    /// Forwards `query` to `upstream` off the event loop and hands `send` the raw answer (SERVFAIL built here
    /// when the upstream does not answer). `send` may run on any thread (NIO channel writes are thread-safe).
    static func forward(_ query: [UInt8], id: UInt16, to upstream: DNSUpstream, send: @escaping @Sendable ([UInt8]) -> Void) {
        DispatchQueue.global().async {
            send(upstream.exchange(query)
                 ?? DNSMessage(id: id, isResponse: true, recursionDesired: true, rcode: .serverFailure).encoded())
        }
    }

    private final class UDPHandler: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>
        let answer: @Sendable (DNSMessage) -> DNSMessage
        let upstream: DNSUpstream?

        init(answer: @escaping @Sendable (DNSMessage) -> DNSMessage, upstream: DNSUpstream?) {
            self.answer = answer
            self.upstream = upstream
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            let bytes = Array(envelope.data.readableBytesView)
            guard let response = DNSServer.respond(to: bytes, answer: answer) else { return }
            if response.rcode == .refused, let upstream {
                let channel = context.channel, remote = envelope.remoteAddress
                DNSServer.forward(bytes, id: response.id, to: upstream) { reply in
                    let buffer = channel.allocator.buffer(bytes: reply)
                    channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: buffer), promise: nil)
                }
                return
            }
            let limit = response.ednsUDPSize.map { Int(min(max($0, 512), 1232)) } ?? 512
            let buffer = context.channel.allocator.buffer(bytes: response.encoded(limit: limit))
            context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: buffer)),
                                  promise: nil)
        }
    }

    private final class TCPHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let answer: @Sendable (DNSMessage) -> DNSMessage
        let upstream: DNSUpstream?
        // Event-loop confined.
        private var pending = ByteBuffer()

        init(answer: @escaping @Sendable (DNSMessage) -> DNSMessage, upstream: DNSUpstream?) {
            self.answer = answer
            self.upstream = upstream
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var incoming = unwrapInboundIn(data)
            pending.writeBuffer(&incoming)
            while let length = pending.getInteger(at: pending.readerIndex, as: UInt16.self),
                  pending.readableBytes >= 2 + Int(length) {
                pending.moveReaderIndex(forwardBy: 2)
                let bytes = pending.readBytes(length: Int(length)) ?? []
                guard let response = DNSServer.respond(to: bytes, answer: answer) else {
                    context.close(promise: nil)
                    return
                }
                if response.rcode == .refused, let upstream {
                    let channel = context.channel
                    DNSServer.forward(bytes, id: response.id, to: upstream) { reply in
                        var out = channel.allocator.buffer(capacity: reply.count + 2)
                        out.writeInteger(UInt16(reply.count))
                        out.writeBytes(reply)
                        channel.writeAndFlush(out, promise: nil)
                    }
                    continue
                }
                let encoded = response.encoded()
                var out = context.channel.allocator.buffer(capacity: encoded.count + 2)
                out.writeInteger(UInt16(encoded.count))
                out.writeBytes(encoded)
                context.writeAndFlush(wrapOutboundOut(out), promise: nil)
            }
            pending.discardReadBytes()
        }
    }
}
