import Logging
import NIOCore
import NIOPosix

/// A TCP listener for one Service port: each accepted connection is connected to a backend from `chooser`
/// and relayed both ways (`TCPRelayHandler`). With no backend the connection is reset at once, as the
/// nftables proxy rejects; when the backend cannot be reached the connection is closed.
final class TCPServiceListener: ServiceListener {
    let chooser: BackendChooser
    private let channel: Channel

    private struct NoBackend: Error {}

    private init(chooser: BackendChooser, channel: Channel) {
        self.chooser = chooser
        self.channel = channel
    }

    /// Binds `address`; throws when it cannot.
    static func bind(_ address: ListenerAddress, chooser: BackendChooser, group: any EventLoopGroup,
                     logger: Logger) async throws -> TCPServiceListener {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { client in
                connect(client, to: chooser.pick(clientIP: client.remoteAddress?.ipAddress), logger: logger)
            }
            .bind(to: address.socketAddress())
            .get()
        return TCPServiceListener(chooser: chooser, channel: channel)
    }

    /// Joins `client` to a new connection to `backend`; resets `client` when there is no backend.
    private static func connect(_ client: Channel, to backend: ProxiedService.Backend?,
                                logger: Logger) -> EventLoopFuture<Void> {
        guard let backend else {
            let reset = (client as? SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0))
                ?? client.eventLoop.makeSucceededVoidFuture()
            // Failing the initializer has the accepted channel closed, with the linger of 0: a reset.
            return reset.flatMapThrowing { throw NoBackend() }
        }
        let target: SocketAddress
        do { target = try backend.socketAddress() } catch { return client.eventLoop.makeFailedFuture(error) }
        return ClientBootstrap(group: client.eventLoop)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .connect(to: target)
            .flatMapThrowing { server in
                let (clientSide, serverSide) = TCPRelayHandler.matchedPair()
                try client.pipeline.syncOperations.addHandler(clientSide)
                try server.pipeline.syncOperations.addHandler(serverSide)
            }
            .flatMapErrorThrowing { error in
                logger.debug("cannot reach backend \(backend.ip):\(backend.port): \(error)")
                throw error
            }
    }

    func close() async {
        try? await channel.close()
    }
}
