import APIModel
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

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
    /// container, no node…), its `Status` error is then sent on channel 3. (A refused upgrade gets a bare
    /// 400 from Hummingbird, and kubectl's SPDY retry could not carry the message either.) A valid
    /// `pods/portforward` request is upgraded and relayed to the node; an invalid one is not upgraded.
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
