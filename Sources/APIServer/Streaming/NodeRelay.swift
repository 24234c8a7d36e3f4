import APIModel
import Foundation
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOSSL
import WSClient

/// Connects an upgraded client to a node's streaming server over WebSocket (`wss://…`, TLS with the API
/// server's client certificate) and copies between them until either side ends: message by message for a
/// WebSocket client, or a raw byte stream (a SPDY/3.1 connection) into binary messages and back.
struct NodeRelay: Sendable {
    /// The node's URL and the WebSocket protocol spoken to it.
    var url: String
    var protocolName: String
    var tls: TLSConfiguration?
    var logger: Logger

    static let maxMessageSize = 1 << 20

    /// Runs `body` with the node's WebSocket; throws when the node cannot be reached or refuses the upgrade.
    func connect(_ body: @escaping @Sendable (WebSocketInboundStream, WebSocketOutboundWriter) async throws -> Void) async throws {
        var configuration = WebSocketClientConfiguration(maxFrameSize: Self.maxMessageSize)
        configuration.additionalHeaders[.secWebSocketProtocol] = protocolName
        configuration.sniHostname = "skiff-kubelet"
        try await WebSocketClient.connect(url: url, configuration: configuration, tlsConfiguration: tls,
                                          logger: logger) { nodeInbound, nodeOutbound, _ in
            try await body(nodeInbound, nodeOutbound)
        }
    }

    /// Relays WebSocket messages both ways; a node that cannot be reached gets `failure` run on the client.
    func relay(inbound clientInbound: WebSocketInboundStream, outbound clientOutbound: WebSocketOutboundWriter,
               failure: @Sendable (APIError, WebSocketOutboundWriter) async throws -> Void) async throws {
        do {
            try await connect { nodeInbound, nodeOutbound in
                // Either side closing (or failing) ends the relay; errors here are not the node's refusal.
                try? await Self.untilFirstEnds(
                    { try await Self.forward(clientInbound, to: nodeOutbound) },
                    { try await Self.forward(nodeInbound, to: clientOutbound) })
            }
        } catch {
            try await failure(NodeErrors.dial(error), clientOutbound)
        }
    }

    /// Relays a client's raw byte stream: each chunk read becomes a binary message to the node, each
    /// message from the node is written to the client as bytes. Ends when either side ends.
    func relay(bytes client: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        try? await client.executeThenClose { clientInbound, clientOutbound in
            try await connect { nodeInbound, nodeOutbound in
                try? await Self.untilFirstEnds(
                    {
                        for try await buffer in clientInbound { try await nodeOutbound.write(.binary(buffer)) }
                    },
                    {
                        for try await message in nodeInbound.messages(maxSize: Self.maxMessageSize) {
                            if case .binary(let buffer) = message { try await clientOutbound.write(buffer) }
                        }
                    })
            }
        }
    }

    /// Runs both until the first returns or throws, then cancels the other.
    private static func untilFirstEnds(_ first: @escaping @Sendable () async throws -> Void,
                                       _ second: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask(operation: first)
            group.addTask(operation: second)
            try await group.next()
            group.cancelAll()
        }
    }

    /// Copies every message until `inbound` ends.
    private static func forward(_ inbound: WebSocketInboundStream, to outbound: WebSocketOutboundWriter) async throws {
        for try await message in inbound.messages(maxSize: maxMessageSize) {
            switch message {
            case .binary(let buffer): try await outbound.write(.binary(buffer))
            case .text(let text): try await outbound.write(.text(text))
            }
        }
    }
}
