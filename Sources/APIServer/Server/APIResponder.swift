import APIModel
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import Storage

/// Answers every request: authentication, then discovery, OpenAPI, health and the resource verbs. Every
/// failure is a Kubernetes `Status`.
struct APIResponder: HTTPResponder {
    typealias Context = SkiffRequestContext

    let registry: ResourceRegistry
    let handler: ResourceHandler
    let authenticator: Authenticator
    let discovery: DiscoveryDocuments
    let openAPI: OpenAPIDocuments
    let readiness: @Sendable () -> Bool
    let streams: PodStreams
    let join: NodeJoinEndpoints
    var storeLatencies: StoreLatencies?
    let logger: Logger

    func respond(to request: Request, context: Context) async throws -> Response {
        do {
            return try await route(request, context: context)
        } catch let error as APIError {
            return APIResponse.error(error)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return APIResponse.error(.requestEntityTooLarge)
        } catch is NIOTooManyBytesError {
            return APIResponse.error(.requestEntityTooLarge)
        } catch {
            logger.error("request failed: \(request.method) \(request.uri.path): \(error)")
            return APIResponse.error(.internalError("\(error)"))
        }
    }

    private func route(_ request: Request, context: Context) async throws -> Response {
        let target = RequestTarget.parse(request.uri.path, registry: registry)
        if let open = try unauthenticated(target) { return open }
        guard let user = await authenticator.authenticate(channel: context.channel,
                                                          authorization: request.headers[.authorization]) else {
            throw APIError.unauthorized
        }
        var body = Data()
        switch target {
        case .resource, .join:
            var request = request
            body = Data(buffer: try await request.collectBody(upTo: RequestBody.maxBytes))
        default: break
        }
        return try await serve(target, method: request.method, query: request.uri.query ?? "",
                               accept: request.headers[.accept], contentType: request.headers[.contentType], body: body,
                               user: user, userAgent: request.headers[.userAgent], connectionClosed: context.channel.closeFuture)
    }

    /// Answers a request made in process (by Skiff's own components) as `user`, with no transport: the same
    /// routing and handlers as HTTPS requests, every failure a `Status`. A watch ends when the task writing its
    /// body is cancelled.
    func respondInProcess(method: HTTPRequest.Method, path: String, body: Data, contentType: String?, accept: String?,
                          user: UserInfo, userAgent: String?) async -> Response {
        let (pathOnly, query) = Self.split(path)
        do {
            if body.count > RequestBody.maxBytes { throw APIError.requestEntityTooLarge }
            let target = RequestTarget.parse(pathOnly, registry: registry)
            if let open = try unauthenticated(target) { return open }
            return try await serve(target, method: method, query: query, accept: accept, contentType: contentType, body: body,
                                   user: user, userAgent: userAgent, connectionClosed: nil)
        } catch let error as APIError {
            return APIResponse.error(error)
        } catch {
            return APIResponse.error(.internalError("\(error)"))
        }
    }

    /// Whether to upgrade a WebSocket request: only `pods/exec` with a protocol Skiff speaks is (see
    /// `PodStreams.upgrade`); an unauthenticated one then only gets its 401 `Status` on channel 3. Hummingbird
    /// answers any other upgrade request with a bare 400.
    func upgradeDecision(_ head: HTTPRequest, channel: any Channel) async -> ShouldUpgradeResult<PodExecProxy.Handler> {
        let (pathOnly, query) = Self.split(head.path ?? "")
        guard case .resource(let path) = RequestTarget.parse(pathOnly, registry: registry), PodStreams.isStreaming(path)
        else { return .dontUpgrade }
        let protocols = head.headerFields[values: .secWebSocketProtocol]
        guard await authenticator.authenticate(channel: channel, authorization: head.headerFields[.authorization]) != nil else {
            return streams.refuse(path, protocols: protocols, error: .unauthorized)
        }
        return await streams.upgrade(path, query: query, protocols: protocols)
    }

    /// Whether to accept an `Upgrade: SPDY/3.1` request: an authenticated, valid `pods/exec` or
    /// `pods/portforward` request offering a protocol Skiff speaks (`PodStreams.spdyUpgrade`); anything else is
    /// answered as a plain request, so with its `Status`.
    func spdyUpgradeDecision(_ head: HTTPRequest, channel: any Channel) async -> StreamingUpgradeChannel.SPDYAcceptance? {
        let (pathOnly, query) = Self.split(head.path ?? "")
        guard case .resource(let path) = RequestTarget.parse(pathOnly, registry: registry), PodStreams.isStreaming(path),
              await authenticator.authenticate(channel: channel, authorization: head.headerFields[.authorization]) != nil
        else { return nil }
        let versions = head.headerFields[values: HTTPField.Name("X-Stream-Protocol-Version")!]
        return await streams.spdyUpgrade(path, query: query, versions: versions)
    }

    /// The answer to a request whose upgrade was refused: its `Status` error (401 unauthenticated; a
    /// streaming subresource's own error, e.g. 404 for no such pod; else 400).
    func refusedUpgrade(_ head: HTTPRequest, channel: any Channel) async -> StreamingUpgradeChannel.RefusedAnswer {
        let (pathOnly, query) = Self.split(head.path ?? "")
        let error: APIError
        if await authenticator.authenticate(channel: channel, authorization: head.headerFields[.authorization]) == nil {
            error = .unauthorized
        } else if case .resource(let path) = RequestTarget.parse(pathOnly, registry: registry), PodStreams.isStreaming(path) {
            error = await streams.refusal(path, method: head.method, query: query,
                                          protocols: head.headerFields[values: .secWebSocketProtocol])
        } else {
            error = .badRequest("\(pathOnly) cannot be upgraded")
        }
        return StreamingUpgradeChannel.RefusedAnswer(status: error.code, contentType: "application/json",
                                                     body: Array((try? ModelJSON.encode(error.status)) ?? Data()))
    }

    private static func split(_ path: String) -> (path: String, query: String) {
        guard let mark = path.firstIndex(of: "?") else { return (path, "") }
        return (String(path[..<mark]), String(path[path.index(after: mark)...]))
    }

    /// The answers that need no authentication: health checks, the version, and the CA for joining agents.
    private func unauthenticated(_ target: RequestTarget) throws -> Response? {
        switch target {
        case .health(let name): ready(name)
        case .version: APIResponse.encodable(ServerVersion.current)
        case .join("cacerts"): try join.caOffer()
        default: nil
        }
    }

    private func serve(_ target: RequestTarget, method: HTTPRequest.Method, query: String, accept: String?, contentType: String?,
                       body: Data, user: UserInfo, userAgent: String?,
                       connectionClosed: EventLoopFuture<Void>?) async throws -> Response {
        switch target {
        case .coreVersions:
            return discoveryResponse(core: true, accept: accept) ?? APIResponse.json(discovery.apiVersions())
        case .groups:
            return discoveryResponse(core: false, accept: accept) ?? APIResponse.json(discovery.apiGroupList())
        case .group(let group):
            guard let data = discovery.apiGroup(group) else { throw APIError.pathNotFound }
            return APIResponse.json(data)
        case .resourceList(let group, let version):
            guard let data = discovery.apiResourceList(group: group, version: version) else { throw APIError.pathNotFound }
            return APIResponse.json(data)
        case .openAPIv3Index:
            return APIResponse.json(openAPI.v3Index())
        case .openAPIv3(let group, let version):
            guard let document = openAPI.v3(group: group, version: version) else { throw APIError.pathNotFound }
            var headers = HTTPFields()
            headers[.eTag] = "\"\(document.hash)\""
            headers[.cacheControl] = "public, immutable"
            return APIResponse.json(document.data, extraHeaders: headers)
        case .openAPIv2:
            let document = openAPI.v2(accept: accept)
            return APIResponse.json(document.data, contentType: document.contentType)
        case .resource(let path) where PodStreams.isStreaming(path):
            return try await streams.respond(path, method: method, query: query)
        case .resource(let path):
            guard method == .get || method == .post || method == .put || method == .patch || method == .delete else {
                throw APIError.methodNotAllowed()
            }
            let resourceRequest = ResourceRequest(
                path: path, query: QueryOptions(query), accept: accept, contentType: contentType, body: body,
                connectionClosed: connectionClosed, user: user, userAgent: userAgent)
            return try await handler.handle(resourceRequest, method: method)
        case .metrics:
            return APIResponse.text("# HELP skiff_watchers Open watches.\n# TYPE skiff_watchers gauge\n"
                + "skiff_watchers \(handler.cache.watcherCount)\n" + (storeLatencies?.prometheusText() ?? ""))
        case .join("node-credentials"):
            return try join.credentials(method: method, body: body, user: user)
        case .notFound, .health, .version, .join:
            throw APIError.pathNotFound
        }
    }

    /// The aggregated discovery document when the Accept header asks for one, else nil (legacy).
    private func discoveryResponse(core: Bool, accept: String?) -> Response? {
        guard let accept, let version = DiscoveryDocuments.negotiate(accept: accept) else { return nil }
        return APIResponse.json(discovery.aggregated(core: core, version: version),
                                contentType: DiscoveryDocuments.contentType(version))
    }

    private func ready(_ name: String) -> Response {
        if name == "readyz" && !readiness() { return APIResponse.text("[-]informer-sync failed: not ready\nreadyz check failed", status: 500) }
        return APIResponse.text("ok")
    }
}

/// `/version`: the Kubernetes version Skiff speaks.
struct ServerVersion: Codable, Sendable {
    var major = "1"
    var minor = "32"
    var gitVersion = "v1.32.0+skiff"
    var gitCommit = "skiff"
    var gitTreeState = "clean"
    var buildDate = "2026-11-25T00:00:00Z"
    var goVersion = "swift6.3"
    var compiler = "swiftc"
    var platform = "linux/amd64"

    static let current = ServerVersion()
}
