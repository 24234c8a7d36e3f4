import Logging
import NIOCore
import NIOPosix

/// The handler of a UDP Service socket: the sessions by client address. A datagram from a new client (or from
/// one whose backend has been removed since) opens a session towards a backend from `chooser`; datagrams that
/// arrive while its socket connects wait for it. A session idle (no datagram either way) for `sessionTimeout`
/// is closed, and so are all of them when the Service socket closes. With no backend, datagrams are dropped.
final class UDPSessionTable: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    /// One client's session; lives on the Service socket's event loop.
    final class Session {
        let backend: ProxiedService.Backend
        var channel: Channel?
        var waiting: [ByteBuffer] = []
        var lastActive: NIODeadline = .now()
        var closed = false

        init(backend: ProxiedService.Backend) {
            self.backend = backend
        }

        func close() {
            closed = true
            waiting = []
            channel?.close(promise: nil)
        }
    }

    private let chooser: BackendChooser
    private let sessionTimeout: TimeAmount
    private let logger: Logger
    private var sessions: [SocketAddress: Session] = [:]
    private var sweep: RepeatedTask?

    init(chooser: BackendChooser, sessionTimeout: TimeAmount, logger: Logger) {
        self.chooser = chooser
        self.sessionTimeout = sessionTimeout
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let table = NIOLoopBound(self, eventLoop: context.eventLoop)
        let interval = TimeAmount.nanoseconds(max(sessionTimeout.nanoseconds / 4, TimeAmount.milliseconds(10).nanoseconds))
        sweep = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            table.value.closeIdleSessions()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        sweep?.cancel()
        sweep = nil
        for session in sessions.values { session.close() }
        sessions = [:]
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let client = envelope.remoteAddress
        if let session = sessions[client], !chooser.contains(session.backend) {
            session.close()
            sessions[client] = nil
        }
        let session: Session
        if let existing = sessions[client] {
            session = existing
        } else {
            guard let backend = chooser.pick(clientIP: client.ipAddress) else { return }
            guard let target = try? backend.socketAddress() else {
                logger.error("UDP backend \(backend.ip):\(backend.port) is not an IP address")
                return
            }
            session = open(Session(backend: backend), to: target, for: client, serviceChannel: context.channel)
            sessions[client] = session
        }
        session.lastActive = .now()
        if let channel = session.channel {
            channel.writeAndFlush(envelope.data, promise: nil)
        } else {
            session.waiting.append(envelope.data)
        }
    }

    /// Starts connecting `session`'s socket to its backend at `target`; replies go to `client` through
    /// `serviceChannel`.
    private func open(_ session: Session, to target: SocketAddress, for client: SocketAddress,
                      serviceChannel: Channel) -> Session {
        let eventLoop = serviceChannel.eventLoop
        let boundSession = NIOLoopBound(session, eventLoop: eventLoop)
        let table = NIOLoopBound(self, eventLoop: eventLoop)
        let backend = session.backend
        DatagramBootstrap(group: eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        UDPReplyRelay(serviceChannel: serviceChannel, client: client) { boundSession.value.lastActive = .now() })
                }
            }
            .connect(to: target)
            .whenComplete { result in
                let session = boundSession.value
                switch result {
                case .success(let channel):
                    if session.closed {
                        channel.close(promise: nil)
                        return
                    }
                    session.channel = channel
                    for datagram in session.waiting { channel.write(datagram, promise: nil) }
                    session.waiting = []
                    channel.flush()
                case .failure(let error):
                    table.value.logger.debug("UDP session to \(backend.ip):\(backend.port) failed: \(error)")
                    table.value.remove(session, for: client)
                }
            }
        return session
    }

    private func remove(_ session: Session, for client: SocketAddress) {
        session.close()
        if sessions[client] === session { sessions[client] = nil }
    }

    private func closeIdleSessions() {
        let now = NIODeadline.now()
        for (client, session) in sessions where session.lastActive + sessionTimeout <= now {
            remove(session, for: client)
        }
    }
}

/// The handler of a UDP session's socket: each reply from the backend is sent to the client from the Service
/// socket, as if the Service itself answered.
final class UDPReplyRelay: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let serviceChannel: Channel
    private let client: SocketAddress
    private let onReply: () -> Void

    init(serviceChannel: Channel, client: SocketAddress, onReply: @escaping () -> Void) {
        self.serviceChannel = serviceChannel
        self.client = client
        self.onReply = onReply
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        onReply()
        serviceChannel.writeAndFlush(AddressedEnvelope(remoteAddress: client, data: unwrapInboundIn(data).data),
                                     promise: nil)
    }
}
