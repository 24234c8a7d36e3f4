import APIModel
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1

/// The streaming subresources of pods, `log`, `exec` and `portforward`, served by proxying to the pod's node.
struct PodStreams: Sendable {
    let logs: PodLogProxy
    let exec: PodExecProxy
    let portForward: PodPortForwardProxy
    let reads: PodStreamReads

    /// The subresources reaching nodes through `connection` (none: only pods not bound to a node are served).
    init(connection: NodeConnection?, handler: ResourceHandler, registry: ResourceRegistry, logger: Logger) {
        logs = PodLogProxy(connection: connection)
        exec = PodExecProxy(connection: connection, logger: logger)
        portForward = PodPortForwardProxy(connection: connection, logger: logger)
        reads = PodStreamReads(handler: handler, registry: registry)
    }

    /// Whether `path` is `pods/log`, `pods/exec` or `pods/portforward` (of the core group).
    static func isStreaming(_ path: ResourcePath) -> Bool {
        path.info.group.isEmpty && path.info.plural == "pods" && path.name != nil
            && [.log, .exec, .portforward].contains(path.subresource.flatMap(ResourceInfo.Subresource.init(rawValue:)))
    }

    /// The plain HTTP answer to a streaming subresource request.
    func respond(_ path: ResourcePath, method: HTTPRequest.Method, query: String) async throws(APIError) -> Response {
        let (namespace, name) = (path.namespace ?? "", path.name ?? "")
        let parameters = QueryParameters(query: query)
        switch path.subresource {
        case ResourceInfo.Subresource.log.rawValue:
            guard method == .get else { throw APIError.methodNotAllowed() }
            return try await logs.respond(namespace: namespace, name: name, query: parameters, reads: reads)
        case ResourceInfo.Subresource.portforward.rawValue:
            guard method == .get || method == .post else { throw APIError.methodNotAllowed() }
            _ = try await portForward.relay(namespace: namespace, name: name, query: parameters, protocolName: "",
                                            usingChannels: false, reads: reads)
            throw APIError.badRequest("port-forward needs an upgrade: Upgrade: SPDY/3.1 (X-Stream-Protocol-Version "
                                      + "\(PortForwardProtocol.spdy)) or a WebSocket with one of "
                                      + PortForwardProtocol.allCases.map(\.rawValue).joined(separator: ", "))
        default:
            guard method == .get || method == .post else { throw APIError.methodNotAllowed() }
            return try await exec.refusal(namespace: namespace, name: name, query: parameters, reads: reads)
        }
    }

    /// Why an upgrade of a streaming request was refused: its own error if it has one (for a WebSocket
    /// offering the port-forward channel protocol, missing ports too), else the plain-request refusal.
    func refusal(_ path: ResourcePath, method: HTTPRequest.Method, query: String, protocols: [String]) async -> APIError {
        do {
            if path.subresource == ResourceInfo.Subresource.portforward.rawValue,
               let chosen = PortForwardProtocol.negotiate(offered: protocols), chosen != .spdyOverWebSocket {
                _ = try await portForward.relay(namespace: path.namespace ?? "", name: path.name ?? "",
                                                query: QueryParameters(query: query), protocolName: chosen.rawValue,
                                                usingChannels: true, reads: reads)
            }
            _ = try await respond(path, method: method, query: query)
            return .badRequest("the upgrade was refused")
        } catch {
            return error
        }
    }

    /// An upgrade of a `pods/exec` request that only sends `error` on channel 3 (if a protocol is negotiated).
    func refuse(_ path: ResourcePath, protocols: [String], error: APIError) -> ShouldUpgradeResult<PodExecProxy.Handler> {
        guard path.subresource == ResourceInfo.Subresource.exec.rawValue,
              let version = RemoteCommandProtocol.negotiate(offered: protocols) else { return .dontUpgrade }
        var headers = HTTPFields()
        headers[.secWebSocketProtocol] = version.rawValue
        return .upgrade(headers, PodExecProxy.failure(error))
    }

    /// Whether to accept a WebSocket upgrade of `path` for an authenticated client offering `protocols`:
    /// a `pods/exec` request with a protocol Skiff speaks is upgraded; if it is invalid (no such pod or
    /// container, no node…), its `Status` error is then sent on channel 3, which kubectl prints. A valid
    /// `pods/portforward` request is upgraded and relayed to the node; an invalid one is refused (and
    /// answered with `refusal`).
    func upgrade(_ path: ResourcePath, query: String, protocols: [String]) async -> ShouldUpgradeResult<PodExecProxy.Handler> {
        if path.subresource == ResourceInfo.Subresource.portforward.rawValue {
            return await upgradePortForward(path, query: query, protocols: protocols)
        }
        guard path.subresource == ResourceInfo.Subresource.exec.rawValue,
              let version = RemoteCommandProtocol.negotiate(offered: protocols)
        else { return .dontUpgrade }
        do {
            let plan = try await exec.plan(namespace: path.namespace ?? "", name: path.name ?? "",
                                           query: QueryParameters(query: query), reads: reads)
            var headers = HTTPFields()
            headers[.secWebSocketProtocol] = version.rawValue
            return .upgrade(headers, exec.relay(plan, version: version))
        } catch {
            return refuse(path, protocols: protocols, error: error)
        }
    }

    /// Whether to accept a plain SPDY upgrade of a valid `pods/exec` (offering `v4.channel.k8s.io` in
    /// `X-Stream-Protocol-Version`) or `pods/portforward` (`portforward.k8s.io`) request: its bytes are then
    /// carried to the node in WebSocket messages, where the SPDY connection is served.
    func spdyUpgrade(_ path: ResourcePath, query: String, versions: [String]) async -> StreamingUpgradeChannel.SPDYAcceptance? {
        let offered = OfferedProtocols.parse(versions)
        let (namespace, name, parameters) = (path.namespace ?? "", path.name ?? "", QueryParameters(query: query))
        let relay: NodeRelay
        let version: String
        switch path.subresource {
        case ResourceInfo.Subresource.exec.rawValue where offered.contains(RemoteCommandProtocol.v4.rawValue):
            guard let plan = try? await exec.plan(namespace: namespace, name: name, query: parameters, reads: reads) else { return nil }
            relay = NodeRelay(url: plan.url, protocolName: SPDYTunnel.remoteCommand, tls: exec.connection?.tls, logger: exec.logger)
            version = RemoteCommandProtocol.v4.rawValue
        case ResourceInfo.Subresource.portforward.rawValue where offered.contains(PortForwardProtocol.spdy):
            guard let forward = try? await portForward.relay(namespace: namespace, name: name, query: parameters,
                                                             protocolName: PortForwardProtocol.spdyOverWebSocket.rawValue,
                                                             usingChannels: false, reads: reads) else { return nil }
            relay = forward
            version = PortForwardProtocol.spdy
        default:
            return nil
        }
        return StreamingUpgradeChannel.SPDYAcceptance(headers: ["X-Stream-Protocol-Version": version],
                                                      handler: { await relay.relay(bytes: $0) })
    }

    private func upgradePortForward(_ path: ResourcePath, query: String, protocols: [String]) async -> ShouldUpgradeResult<PodExecProxy.Handler> {
        guard let chosen = PortForwardProtocol.negotiate(offered: protocols),
              let relay = try? await portForward.relay(namespace: path.namespace ?? "", name: path.name ?? "",
                                                       query: QueryParameters(query: query), protocolName: chosen.rawValue,
                                                       usingChannels: chosen != .spdyOverWebSocket, reads: reads)
        else { return .dontUpgrade }
        var headers = HTTPFields()
        headers[.secWebSocketProtocol] = chosen.rawValue
        return .upgrade(headers, { inbound, outbound, _ in
            try await relay.relay(inbound: inbound, outbound: outbound) { _, _ in }
        })
    }
}
