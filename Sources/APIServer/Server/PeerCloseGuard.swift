import HummingbirdCore
import Logging
import NIOCore
import NIOSSL

/// HTTP over TLS that closes a connection as soon as its client has closed its side, whether with a TCP FIN
/// or a TLS close_notify. HTTP/1.1 clients (kubectl, the Python client) close only when they are done, so
/// this ends streaming responses — watches — whose client has gone, instead of leaving them open until their
/// timeout. (While a response is in flight the HTTP pipeline stops reading, so the close is noticed here,
/// below it.)
struct PeerClosingTLSChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let sslContext: NIOSSLContext

    init(base: Base, tlsConfiguration: TLSConfiguration) throws {
        self.base = base
        self.sslContext = try NIOSSLContext(configuration: tlsConfiguration)
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let handlers = channel.pipeline.syncOperations
            try handlers.addHandler(InputClosedHandler())  // TCP FIN
            try handlers.addHandler(NIOSSLServerHandler(context: sslContext))
            try handlers.addHandler(InputClosedHandler())  // TLS close_notify
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

/// Closes the channel when its input side closes; passes everything else on.
final class InputClosedHandler: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
