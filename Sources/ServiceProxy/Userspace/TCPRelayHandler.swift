import NIOCore

/// One half of a TCP relay: the handler at the end of one channel's pipeline, writing what it reads into its
/// partner's channel (the classic NIO "glue"). Both channels must share one event loop.
///
/// Backpressure: a side reads only while its partner's channel is writable, so a slow receiver slows the
/// sender instead of growing buffers. Half-close: end of input on one side shuts the output of the other
/// (the channels need `allowRemoteHalfClosure`). When one side closes, the other closes once what it was
/// given has gone out; when one side fails, both close at once.
final class TCPRelayHandler {
    private var partner: TCPRelayHandler?
    private var context: ChannelHandlerContext?
    private var pendingRead = false

    private init() {}

    /// Two handlers joined to each other, one for each channel.
    static func matchedPair() -> (TCPRelayHandler, TCPRelayHandler) {
        let first = TCPRelayHandler(), second = TCPRelayHandler()
        first.partner = second
        second.partner = first
        return (first, second)
    }

    private func partnerWrite(_ data: NIOAny) {
        context?.write(data, promise: nil)
    }

    private func partnerFlush() {
        context?.flush()
    }

    /// Closes `mode` (the output at the end of the other side's input, everything when the other side is gone)
    /// once everything written before has gone out: closing at once would drop those writes (and shutting the
    /// output closes the whole channel when its input is already closed).
    private func partnerClose(afterWrites mode: CloseMode) {
        guard let context else { return }
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(NIOAny(context.channel.allocator.buffer(capacity: 0)), promise: written)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        written.futureResult.whenComplete { _ in
            boundContext.value.close(mode: mode, promise: nil)
        }
    }

    private func partnerCloseAtOnce() {
        context?.close(promise: nil)
    }

    private func partnerBecameWritable() {
        if pendingRead {
            pendingRead = false
            context?.read()
        }
    }

    private var partnerWritable: Bool {
        context?.channel.isWritable ?? false
    }
}

extension TCPRelayHandler: ChannelDuplexHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        partner?.partnerWrite(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.partnerFlush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner?.partnerClose(afterWrites: .all)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            partner?.partnerClose(afterWrites: .output)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        partner?.partnerCloseAtOnce()
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            partner?.partnerBecameWritable()
        }
    }

    func read(context: ChannelHandlerContext) {
        if let partner, partner.partnerWritable {
            context.read()
        } else {
            pendingRead = true
        }
    }
}
