import HummingbirdCore
import Logging
import NIOCore

/// Wraps a server child channel so that a connection whose client has closed its side (TCP FIN) is closed at
/// once. HTTP/1.1 clients (kubectl, the Python client) close only when they are done, so this ends streaming
/// responses — watches — whose client has gone, instead of leaving them open until their timeout.
struct PeerCloseGuard<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(InputClosedHandler(), position: .first)
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
