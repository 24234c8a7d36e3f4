import APIModel
import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// Decides the WebSocket upgrades of the node's streaming server and what runs on them:
/// - `/exec/…` with `v5.channel.k8s.io`/`v4.channel.k8s.io`: `ExecChannels`; with
///   `SPDY/3.1+v4.channel.k8s.io` (the API server relaying a SPDY-only client): `ExecSPDYStreams`;
/// - `/portForward/…` with `SPDY/3.1+portforward.k8s.io`: `PortForwardStreamPairs`; with the channel
///   protocol and valid `port` parameters: `PortForwardChannels`.
///
/// Sessions start after the upgrade; a backend failure of an exec is reported as its `Status`.
struct StreamingUpgrade: Sendable {
    typealias Handler = WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>

    let backend: any PodStreamBackend

    func shouldUpgrade(_ request: HTTPRequest) async -> ShouldUpgradeResult<Handler> {
        let (pathText, queryText) = Self.split(request.path ?? "")
        guard let path = StreamingPath(pathText) else { return .dontUpgrade }
        let offered = request.headerFields[values: .secWebSocketProtocol]
        let query = QueryParameters(query: queryText)
        let chosen: (String, Handler)?
        switch path.endpoint {
        case .containerLogs: chosen = nil
        case .exec: chosen = exec(path, query: PodExecQuery(query), offered: offered)
        case .portForward: chosen = portForward(path, query: query, offered: offered)
        }
        guard let (protocolName, handler) = chosen else { return .dontUpgrade }
        var headers = HTTPFields()
        headers[.secWebSocketProtocol] = protocolName
        return .upgrade(headers, handler)
    }

    private func exec(_ path: StreamingPath, query: PodExecQuery, offered: [String]) -> (String, Handler)? {
        let backend = self.backend
        if let version = RemoteCommandProtocol.negotiate(offered: offered) {
            return (version.rawValue, { inbound, outbound, _ in
                let session: any ExecSession
                do throws(PodStreamError) {
                    session = try await backend.startExec(path, query: query)
                } catch {
                    try await outbound.write(.binary(ByteBuffer(bytes: ExecStatus.message(ExecStatus.failure(error)))))
                    return
                }
                try await ExecChannels(session: session, version: version, query: query).run(inbound: inbound, outbound: outbound)
            })
        }
        guard OfferedProtocols.parse(offered).contains(SPDYTunnel.remoteCommand) else { return nil }
        let streams = ExecSPDYStreams(backend: backend, path: path, query: query)
        return (SPDYTunnel.remoteCommand, { inbound, outbound, _ in
            await Self.serveSPDY(inbound: inbound, outbound: outbound, handler: streams.run)
        })
    }

    private func portForward(_ path: StreamingPath, query: QueryParameters, offered: [String]) -> (String, Handler)? {
        switch PortForwardProtocol.negotiate(offered: offered) {
        case nil:
            return nil
        case .spdyOverWebSocket:
            let pairs = PortForwardStreamPairs(backend: backend, namespace: path.namespace, pod: path.pod)
            return (PortForwardProtocol.spdyOverWebSocket.rawValue, { inbound, outbound, _ in
                await Self.serveSPDY(inbound: inbound, outbound: outbound, handler: pairs.run)
            })
        case .some(let channelProtocol):
            guard let ports = try? PortForwardQuery.required(query, name: "port").ports else { return nil }
            let channels = PortForwardChannels(backend: backend, namespace: path.namespace, pod: path.pod, ports: ports)
            return (channelProtocol.rawValue, { inbound, outbound, _ in
                try await channels.run(inbound: inbound, outbound: outbound)
            })
        }
    }

    /// Serves a SPDY connection whose bytes travel in binary WebSocket messages (split anywhere).
    static func serveSPDY(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
                          handler: @escaping @Sendable (AsyncStream<SPDYStream>) async -> Void) async {
        await SPDYConnection.serve(
            receive: { deliver in
                for try await message in inbound.messages(maxSize: ExecChannels.maxMessageSize) {
                    if case .binary(let buffer) = message { try await deliver(Array(buffer.readableBytesView)) }
                }
            },
            transport: { try await outbound.write(.binary(ByteBuffer(bytes: $0))) },
            handler: handler)
    }

    private static func split(_ target: String) -> (path: String, query: String) {
        guard let mark = target.firstIndex(of: "?") else { return (target, "") }
        return (String(target[..<mark]), String(target[target.index(after: mark)...]))
    }
}
