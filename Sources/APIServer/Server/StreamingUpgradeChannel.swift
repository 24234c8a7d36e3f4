import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket
// Hummingbird runs a server-side WebSocket through this entry point of swift-websocket; it is the only one.
@_spi(WSInternal) import WSCore

/// The API server's HTTP/1.1 connections (Hummingbird's `HTTP1WebSocketUpgradeChannel`, extended): plain
/// requests, WebSocket upgrades, and `Upgrade: SPDY/3.1` (kubectl's exec and port-forward before 1.30, or
/// with WebSockets turned off), after which the connection is a raw byte stream. A request whose upgrade is
/// refused gets `answerRefused`'s answer (its `Status` error) instead of Hummingbird's bare 400: NIO's
/// upgrade handler has consumed the request by then, so it cannot go to the responder.
struct StreamingUpgradeChannel: ServerChildChannel, HTTPChannelHandler {
    typealias DataHandler = WebSocketDataHandler<StreamingWebSocketContext>

    /// An accepted SPDY upgrade: the headers of the 101 answer besides `Connection`/`Upgrade`, and what
    /// runs on the upgraded connection.
    struct SPDYAcceptance: Sendable {
        var headers: HTTPHeaders
        var handler: @Sendable (NIOAsyncChannel<ByteBuffer, ByteBuffer>) async -> Void
    }

    /// The answer to a request whose upgrade was refused.
    struct RefusedAnswer: Sendable {
        var status: Int
        var contentType: String
        var body: [UInt8]
    }

    enum UpgradeResult: Sendable {
        case websocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, DataHandler, Logger)
        case spdy(NIOAsyncChannel<ByteBuffer, ByteBuffer>, @Sendable (NIOAsyncChannel<ByteBuffer, ByteBuffer>) async -> Void)
        case notUpgraded(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        case refused(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, HTTPRequest)
    }

    struct Value: ServerChildChannelValue {
        let upgradeResult: EventLoopFuture<UpgradeResult>
        let channel: any Channel
    }

    let responder: HTTPChannelHandler.Responder
    let webSocket: WebSocketServerConfiguration
    /// Whether to accept a WebSocket upgrade, and with what.
    let shouldUpgradeWebSocket: @Sendable (HTTPRequest, any Channel) async -> ShouldUpgradeResult<DataHandler>
    /// Whether to accept a SPDY upgrade (nil: refuse).
    let shouldUpgradeSPDY: @Sendable (HTTPRequest, any Channel) async -> SPDYAcceptance?
    /// The answer to a request whose upgrade was refused.
    let answerRefused: @Sendable (HTTPRequest, any Channel) async -> RefusedAnswer

    init(responder: @escaping HTTPChannelHandler.Responder, webSocket: WebSocketServerConfiguration,
         shouldUpgradeWebSocket: @escaping @Sendable (HTTPRequest, any Channel) async -> ShouldUpgradeResult<DataHandler>,
         shouldUpgradeSPDY: @escaping @Sendable (HTTPRequest, any Channel) async -> SPDYAcceptance?,
         answerRefused: @escaping @Sendable (HTTPRequest, any Channel) async -> RefusedAnswer) {
        self.responder = Self.redirectingLateUpgrades(responder)
        self.webSocket = webSocket
        self.shouldUpgradeWebSocket = shouldUpgradeWebSocket
        self.shouldUpgradeSPDY = shouldUpgradeSPDY
        self.answerRefused = answerRefused
    }

    /// NIO upgrades only a connection's first request. A later one asking for a WebSocket is redirected to
    /// itself with the connection closed, so that the client retries on a new connection (as Hummingbird does).
    private static func redirectingLateUpgrades(_ responder: @escaping HTTPChannelHandler.Responder) -> HTTPChannelHandler.Responder {
        struct RedirectedError: Error {}
        return { request, writer, channel in
            guard request.headers[.upgrade]?.lowercased() == "websocket" else {
                return try await responder(request, writer, channel)
            }
            let location = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            try await writer.writeResponse(HTTPResponse(status: .temporaryRedirect,
                                                        headerFields: [.connection: "close", .location: location]))
            throw RedirectedError()
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let refused = NIOLockedValueBox<HTTPRequest?>(nil)
            let configuration = NIOUpgradableHTTPServerPipelineConfiguration<UpgradeResult>(
                upgradeConfiguration: NIOTypedHTTPServerUpgradeConfiguration(
                    upgraders: [webSocketUpgrader(refused: refused, logger: logger),
                                SPDYUpgrader(decide: shouldUpgradeSPDY, refused: refused)],
                    notUpgradingCompletionHandler: { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                            try channel.pipeline.syncOperations.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
                            let http = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                                wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                            return refused.withLockedValue { $0 }.map { .refused(http, $0) } ?? .notUpgraded(http)
                        }
                    }))
            var pipeline = configuration
            pipeline.enablePipelining = false
            pipeline.enableErrorHandling = false
            pipeline.enableResponseHeaderValidation = false
            let result = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: pipeline)
            return Value(upgradeResult: result, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.upgradeResult.get() {
            case .notUpgraded(let http):
                await handleHTTP(asyncChannel: http, logger: logger)
            case .websocket(let channel, let handler, let logger):
                let configuration = WebSocketHandler.Configuration(
                    extensions: [], autoPing: webSocket.autoPing, closeTimeout: webSocket.closeTimeout,
                    validateUTF8: webSocket.validateUTF8, maxFrameSize: webSocket.maxFrameSize)
                _ = try await WebSocketHandler.handle(type: .server, configuration: configuration, asyncChannel: channel,
                                                      context: StreamingWebSocketContext(logger: logger), handler: handler)
            case .spdy(let channel, let handler):
                await handler(channel)
            case .refused(let http, let request):
                let answer = await answerRefused(request, value.channel)
                try await http.executeThenClose { _, outbound in
                    let fields: HTTPFields = [.contentType: answer.contentType, .contentLength: String(answer.body.count),
                                              .connection: "close"]
                    try await outbound.write(contentsOf: [.head(HTTPResponse(status: .init(code: answer.status), headerFields: fields)),
                                                          .body(ByteBuffer(bytes: answer.body)), .end(nil)])
                }
            }
        } catch {
            logger.debug("upgrade failed", metadata: ["error": "\(error)"])
        }
    }

    /// The WebSocket upgrader: `shouldUpgradeWebSocket` decides (with the request as `HTTPRequest`).
    private func webSocketUpgrader(refused: NIOLockedValueBox<HTTPRequest?>, logger: Logger) -> NIOTypedWebSocketServerUpgrader<UpgradeResult> {
        let decide = shouldUpgradeWebSocket
        let chosen = NIOLockedValueBox<DataHandler?>(nil)
        return NIOTypedWebSocketServerUpgrader<UpgradeResult>(
            maxFrameSize: webSocket.maxFrameSize,
            shouldUpgrade: { channel, head in
                let promise = channel.eventLoop.makePromise(of: HTTPHeaders?.self)
                promise.completeWithTask {
                    guard let request = try? HTTPRequest(head, secure: false, splitCookie: false) else { return nil }
                    guard case .upgrade(let fields, let handler) = await decide(request, channel) else {
                        refused.withLockedValue { $0 = request }
                        return nil
                    }
                    chosen.withLockedValue { $0 = handler }
                    return HTTPHeaders(fields.map { ($0.name.rawName, $0.value) })
                }
                return promise.futureResult
            },
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    guard let handler = chosen.withLockedValue({ $0 }) else { throw UpgradeRefused() }
                    let asyncChannel = try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(
                        wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                    return .websocket(asyncChannel, handler, logger)
                }
            })
    }
}

/// An upgrade refused because the request cannot run: it is then answered by `answerRefused`.
private struct UpgradeRefused: Error {}

/// The context WebSocket handlers of the API server get.
struct StreamingWebSocketContext: WebSocketContext {
    let logger: Logger
}

/// `Upgrade: SPDY/3.1`: the decision runs once the request head is in; after the 101 the connection is a
/// byte stream for the accepted handler.
private struct SPDYUpgrader: NIOTypedHTTPServerProtocolUpgrader {
    typealias UpgradeResult = StreamingUpgradeChannel.UpgradeResult

    let decide: @Sendable (HTTPRequest, any Channel) async -> StreamingUpgradeChannel.SPDYAcceptance?
    /// Where a refused request is left for the answer.
    let refused: NIOLockedValueBox<HTTPRequest?>
    private let accepted = NIOLockedValueBox<StreamingUpgradeChannel.SPDYAcceptance?>(nil)

    var supportedProtocol: String { "SPDY/3.1" }
    var requiredUpgradeHeaders: [String] { [] }

    func buildUpgradeResponse(channel: any Channel, upgradeRequest: HTTPRequestHead,
                              initialResponseHeaders: HTTPHeaders) -> EventLoopFuture<HTTPHeaders> {
        let promise = channel.eventLoop.makePromise(of: HTTPHeaders.self)
        let (decide, accepted, refused) = (self.decide, self.accepted, self.refused)
        promise.completeWithTask {
            guard let request = try? HTTPRequest(upgradeRequest, secure: false, splitCookie: false) else { throw UpgradeRefused() }
            guard let acceptance = await decide(request, channel) else {
                refused.withLockedValue { $0 = request }
                throw UpgradeRefused()
            }
            accepted.withLockedValue { $0 = acceptance }
            var headers = initialResponseHeaders
            headers.add(contentsOf: acceptance.headers)
            return headers
        }
        return promise.futureResult
    }

    func upgrade(channel: any Channel, upgradeRequest: HTTPRequestHead) -> EventLoopFuture<UpgradeResult> {
        channel.eventLoop.makeCompletedFuture {
            guard let acceptance = accepted.withLockedValue({ $0 }) else { throw UpgradeRefused() }
            let bytes = try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel,
                                                                     configuration: .init(isOutboundHalfClosureEnabled: true))
            return .spdy(bytes, acceptance.handler)
        }
    }
}
