import APIModel
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOEmbedded
import Storage
import Testing
import TestSupport
@testable import APIServer

/// The API server without sockets: the same `APIResponder` the HTTPS listener calls, over an
/// `InMemoryStore`, with the watch cache and the namespace cleaner running as `APIServer.run()` runs them.
/// Requests authenticate with a bearer token (`TestAPI.token`) unless a test says otherwise.
///
/// Use `TestAPI.with { api in … }`: it starts the background tasks, runs the test and stops them.
final class TestAPI: Sendable {
    static let token = "skiff-test-token"
    static let user = UserInfo(name: "tester", groups: ["system:masters", "system:authenticated"])

    let store: InMemoryStore
    let cache: WatchCache
    let registry: ResourceRegistry
    let responder: APIResponder
    let logger: Logger
    /// One channel for every request: the context needs one; its close future never fires.
    private let channel = NIOAsyncTestingChannel()

    /// Bookmarks come this often in tests (60 s in the server).
    static let bookmarkInterval: Duration = .milliseconds(200)

    private init(historyCapacity: Int, historyByteBudget: Int) {
        var logger = Logger(label: "skiff.tests")
        logger.logLevel = .warning
        self.logger = logger
        store = InMemoryStore()
        registry = .builtin
        cache = WatchCache(store: store, resources: registry.resources, historyCapacity: historyCapacity,
                           historyByteBudget: historyByteBudget, logger: logger)
        let cache = self.cache
        let handler = ResourceHandler(store: store, cache: cache, logger: logger, bookmarkInterval: Self.bookmarkInterval)
        responder = APIResponder(
            registry: registry,
            handler: handler,
            authenticator: Authenticator(pki: nil, tokens: [Self.token: Self.user]),
            discovery: DiscoveryDocuments(registry: registry, serverAddress: "127.0.0.1:6443"),
            openAPI: OpenAPIDocuments(registry: registry),
            readiness: { cache.isReady },
            streams: PodStreams(connection: nil, handler: handler, registry: registry, logger: logger),
            join: NodeJoinEndpoints(pki: nil, token: nil),
            logger: logger)
    }

    /// Runs `body` against a fresh server.
    ///
    /// - Parameters:
    ///   - historyCapacity: the watch cache's event window.
    ///   - historyByteBudget: the window's bound in bytes.
    ///   - runCache: false leaves the watch cache unstarted (never ready).
    ///   - namespaceCleaner: false leaves Terminating namespaces in place.
    static func with<T>(historyCapacity: Int = 50_000, historyByteBudget: Int = 64 << 20, runCache: Bool = true, namespaceCleaner: Bool = true,
                        garbageCollector: Bool = false,
                        _ body: (TestAPI) async throws -> T) async throws -> T {
        let api = TestAPI(historyCapacity: historyCapacity, historyByteBudget: historyByteBudget)
        try await DefaultNamespaces.ensure(in: api.store, registry: api.registry)
        let background = Task { [api] in
            await withTaskGroup(of: Void.self) { group in
                if runCache {
                    group.addTask { try? await api.cache.run() }
                }
                if namespaceCleaner {
                    group.addTask {
                        await NamespaceCleaner(store: api.store, cache: api.cache, registry: api.registry, logger: api.logger).run()
                    }
                }
                if garbageCollector {
                    group.addTask {
                        await GarbageCollector(store: api.store, cache: api.cache, registry: api.registry, logger: api.logger).run()
                    }
                }
            }
        }
        let result: Result<T, any Error>
        do {
            // As a server is only ready once its cache is loaded: watches opened before the load would be closed
            // by it, and the cache's event window starts there.
            if runCache { try await api.cache.waitUntilFresh() }
            // The cleaner's own watch (closed by the cache's first load, then reopened) is in place, so tests can
            // count watchers.
            let background = (namespaceCleaner ? 1 : 0) + (garbageCollector ? 1 : 0)
            if runCache && background > 0 {
                try await eventually("the background components' watches") { api.cache.watcherCount >= background }
            }
            result = .success(try await body(api))
        } catch {
            result = .failure(error)
        }
        background.cancel()
        await background.value
        api.store.close()
        return try result.get()
    }

    // MARK: Requests

    /// Sends one request through the responder and collects the whole response.
    ///
    /// - Parameters:
    ///   - body: the request body (nil: none).
    ///   - contentType: the Content-Type header (nil: none, as the Python client sends).
    ///   - token: the bearer token (nil: no Authorization header).
    func send(_ method: HTTPRequest.Method, _ path: String, body: Data? = nil, contentType: String? = nil,
              accept: String? = nil, token: String? = TestAPI.token, headers: HTTPFields = [:]) async throws -> TestResponse {
        let response = try await respond(method, path, body: body, contentType: contentType, accept: accept, token: token,
                                         headers: headers)
        let writer = CollectingBodyWriter()
        try await response.body.write(writer)
        return TestResponse(status: Int(response.status.code), headers: response.headers, body: writer.data)
    }

    /// Sends a JSON body (given as text).
    func send(_ method: HTTPRequest.Method, _ path: String, json: String, contentType: String = "application/json",
              accept: String? = nil, token: String? = TestAPI.token) async throws -> TestResponse {
        try await send(method, path, body: Data(json.utf8), contentType: contentType, accept: accept, token: token)
    }

    func get(_ path: String, accept: String? = nil) async throws -> TestResponse {
        try await send(.get, path, accept: accept)
    }

    func post(_ path: String, _ json: String) async throws -> TestResponse {
        try await send(.post, path, json: json)
    }

    func put(_ path: String, _ json: String) async throws -> TestResponse {
        try await send(.put, path, json: json)
    }

    func patch(_ path: String, _ json: String, type: String = "application/merge-patch+json") async throws -> TestResponse {
        try await send(.patch, path, json: json, contentType: type)
    }

    func delete(_ path: String, _ json: String? = nil) async throws -> TestResponse {
        if let json { return try await send(.delete, path, json: json) }
        return try await send(.delete, path)
    }

    /// Starts a watch request and streams its JSON lines.
    func watch(_ path: String, accept: String? = nil) async throws -> WatchSession {
        let response = try await respond(.get, path, body: nil, contentType: nil, accept: accept, token: Self.token, headers: [:])
        let frames = Inbox<JSONValue>()
        let writer = LineWriter(frames)
        let body = response.body
        let task = Task {
            do { try await body.write(writer) } catch { frames.finish() }
            frames.finish()
        }
        return WatchSession(status: Int(response.status.code), frames: frames, task: task)
    }

    private func respond(_ method: HTTPRequest.Method, _ path: String, body: Data?, contentType: String?, accept: String?,
                         token: String?, headers: HTTPFields) async throws -> Response {
        var fields = headers
        if let token { fields[.authorization] = "Bearer \(token)" }
        if let contentType { fields[.contentType] = contentType }
        if let accept { fields[.accept] = accept }
        if let body { fields[.contentLength] = String(body.count) }
        let request = Request(
            head: HTTPRequest(method: method, scheme: "https", authority: "127.0.0.1:6443", path: path, headerFields: fields),
            body: RequestBody(buffer: ByteBuffer(bytes: body ?? Data())))
        let context = SkiffRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
        return try await responder.respond(to: request, context: context)
    }

    // MARK: Shortcuts

    /// Creates an object and returns it; fails the test unless the answer is 201.
    @discardableResult
    func create(_ path: String, _ json: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
        let response = try await post(path, json)
        #expect(response.status == 201, "create \(path): \(response.text)", sourceLocation: sourceLocation)
        return try response.json()
    }

    /// Creates a namespace.
    func createNamespace(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await create("/api/v1/namespaces", #"{"metadata":{"name":"\#(name)"}}"#, sourceLocation: sourceLocation)
    }

    /// A ConfigMap body.
    static func configMap(_ name: String, labels: [String: String] = [:], data: [String: String] = ["k": "v"],
                          namespace: String? = nil, finalizers: [String] = []) -> String {
        var meta: [String: JSONValue] = ["name": .string(name)]
        if !labels.isEmpty { meta["labels"] = .object(labels.mapValues { .string($0) }) }
        if let namespace { meta["namespace"] = .string(namespace) }
        if !finalizers.isEmpty { meta["finalizers"] = .array(finalizers.map { .string($0) }) }
        let object: JSONValue = .object([
            "apiVersion": .string("v1"), "kind": .string("ConfigMap"),
            "metadata": .object(meta), "data": .object(data.mapValues { .string($0) }),
        ])
        return object.serializedString()
    }

    /// A Pod body with one container.
    static func pod(_ name: String, labels: [String: String] = [:], nodeName: String? = nil, image: String = "nginx:1.27") -> String {
        var spec: [String: JSONValue] = ["containers": .array([.object(["name": .string("app"), "image": .string(image)])])]
        if let nodeName { spec["nodeName"] = .string(nodeName) }
        var meta: [String: JSONValue] = ["name": .string(name)]
        if !labels.isEmpty { meta["labels"] = .object(labels.mapValues { .string($0) }) }
        return JSONValue.object(["apiVersion": .string("v1"), "kind": .string("Pod"), "metadata": .object(meta),
                                 "spec": .object(spec)]).serializedString()
    }

    /// A Deployment body selecting `app=<name>`, with the given containers (name, image).
    static func deployment(_ name: String, replicas: Int = 2,
                           containers: [(String, String)] = [("app", "nginx:1.27")]) -> String {
        let list = containers.map { #"{"name":"\#($0.0)","image":"\#($0.1)"}"# }.joined(separator: ",")
        return #"""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"\#(name)"},
         "spec":{"replicas":\#(replicas),"selector":{"matchLabels":{"app":"\#(name)"}},
                 "template":{"metadata":{"labels":{"app":"\#(name)"}},"spec":{"containers":[\#(list)]}}}}
        """#
    }

    /// The store's current revision.
    func revision() async throws -> Int64 {
        try await store.currentRevision()
    }
}

/// A collected response.
struct TestResponse: Sendable, CustomStringConvertible {
    var status: Int
    var headers: HTTPFields
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    func json() throws -> JSONValue {
        try JSONValue(parsing: body)
    }

    /// The header's values (several for repeated headers).
    func values(_ name: String) -> [String] {
        headers.filter { $0.name.canonicalName == name.lowercased() }.map(\.value)
    }

    var description: String { "\(status) \(text)" }
}

/// A streaming watch response.
final class WatchSession: Sendable {
    let status: Int
    let frames: Inbox<JSONValue>
    private let task: Task<Void, Never>

    init(status: Int, frames: Inbox<JSONValue>, task: Task<Void, Never>) {
        self.status = status
        self.frames = frames
        self.task = task
    }

    /// The next `{"type":…,"object":…}` frame; nil when the server ended the stream.
    func next(timeout: Duration = .seconds(10)) async throws -> JSONValue? {
        try await frames.next(timeout: timeout)
    }

    /// The next frame as (type, name); fails when the stream ends.
    func nextEvent(timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation) async throws -> (String, String) {
        let frame = try #require(try await next(timeout: timeout), "the watch ended", sourceLocation: sourceLocation)
        return (frame["type"]?.stringValue ?? "?", frame["object"]?["metadata"]?["name"]?.stringValue ?? "?")
    }

    /// Ends the watch as a disconnecting client would, and waits for the response body to finish.
    func close() async {
        task.cancel()
        await task.value
    }
}

/// Splits a streamed body into JSON lines.
final class LineWriter: ResponseBodyWriter, Sendable {
    private let pending = Locked(Data())
    private let frames: Inbox<JSONValue>

    init(_ frames: Inbox<JSONValue>) {
        self.frames = frames
    }

    func write(_ buffer: ByteBuffer) async throws {
        let lines = pending.withLock { pending -> [Data] in
            pending.append(contentsOf: buffer.readableBytesView)
            var lines: [Data] = []
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                lines.append(Data(pending[pending.startIndex..<newline]))
                pending.removeSubrange(pending.startIndex...newline)
            }
            return lines
        }
        for line in lines where !line.isEmpty {
            frames.push((try? JSONValue(parsing: line)) ?? .string(String(decoding: line, as: UTF8.self)))
        }
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {
        frames.finish()
    }
}

extension JSONValue {
    /// The element at `index` of an array.
    subscript(index: Int) -> JSONValue? {
        guard let array = arrayValue, array.indices.contains(index) else { return nil }
        return array[index]
    }

    var intValue: Int64? {
        if case .int(let i) = self { return i }
        return nil
    }

    var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// `metadata.name` of an object.
    var objectName: String? { self["metadata"]?["name"]?.stringValue }

    /// `metadata.resourceVersion` of an object or list.
    var resourceVersion: String? { self["metadata"]?["resourceVersion"]?.stringValue }

    /// The names of a list's items, in order.
    var itemNames: [String] { (self["items"]?.arrayValue ?? []).compactMap(\.objectName) }
}
