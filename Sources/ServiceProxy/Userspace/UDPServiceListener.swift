import Logging
import NIOCore
import NIOPosix

/// A UDP socket for one Service port: each client address gets a session (`UDPSessionTable`) with a socket of
/// its own connected to a backend from `chooser`; the backend's replies go back to the client from this socket.
final class UDPServiceListener: ServiceListener {
    let chooser: BackendChooser
    private let channel: Channel

    private init(chooser: BackendChooser, channel: Channel) {
        self.chooser = chooser
        self.channel = channel
    }

    /// Binds `address`; throws when it cannot. Sessions idle for `sessionTimeout` are closed.
    static func bind(_ address: ListenerAddress, chooser: BackendChooser, sessionTimeout: TimeAmount,
                     group: any EventLoopGroup, logger: Logger) async throws -> UDPServiceListener {
        let channel = try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        UDPSessionTable(chooser: chooser, sessionTimeout: sessionTimeout, logger: logger))
                }
            }
            .bind(to: address.socketAddress())
            .get()
        return UDPServiceListener(chooser: chooser, channel: channel)
    }

    func close() async {
        try? await channel.close()
    }
}
