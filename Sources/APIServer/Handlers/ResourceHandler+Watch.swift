import APIModel
import Foundation
import Hummingbird
import NIOCore
import Storage

extension ResourceHandler {
    /// How long a watch stays open when the client names no `timeoutSeconds` (Kubernetes picks 30–60 min).
    static let defaultWatchTimeout: Int64 = 1800

    /// A chunked stream of `{"type":…,"object":…}` lines: the initial state when no resourceVersion is given
    /// (or "0"), then every change after it. A too-old resourceVersion gets one ERROR event (410 Expired),
    /// as Kubernetes' watch cache answers.
    func watch(_ request: ResourceRequest) async throws(APIError) -> Response {
        guard request.path.subresource == nil else { throw APIError.methodNotAllowed() }
        var filter = try selectors(request)
        if let name = request.path.name {
            filter.fields = FieldMatcher(filter.fields.requirements + [FieldRequirement(field: "metadata.name", operator: .equals, value: name)])
        }
        let rvText = request.query["resourceVersion"] ?? ""
        let after: Revision?
        if rvText.isEmpty || rvText == "0" {
            after = nil
        } else if let value = Int64(rvText) {
            after = value
        } else {
            throw APIError.badRequest("invalid resource version: \(rvText)")
        }
        // A revision the cache has not applied yet (a client that just wrote) is waited for, so the stream
        // starts exactly after it; one beyond the store's revision is 504, as Kubernetes answers.
        if let after { try await freshRead(String(after)) }
        let timeout = try request.query.int("timeoutSeconds") ?? Self.defaultWatchTimeout
        let bookmarks = request.query.bool("allowWatchBookmarks")
        let table = MediaTypes.wantsTable(request.accept)
        let encoder = WatchFrameEncoder(resource: request.resource, table: table)

        let started: (initial: [CachedObject], revision: Revision, events: AsyncStream<CacheEvent>, cancel: @Sendable () -> Void)
        do {
            started = try cache.watch(filter, after: after)
        } catch {
            let frame = encoder.error(error)
            return Response(status: .ok, headers: Self.watchHeaders,
                            body: ResponseBody { writer in
                                try await writer.write(ByteBuffer(bytes: frame))
                                try await writer.finish(nil)
                            })
        }
        request.connectionClosed?.whenComplete { _ in started.cancel() }
        let kind = request.info.kind
        let apiVersion = request.info.groupVersion
        return Response(status: .ok, headers: Self.watchHeaders, body: ResponseBody { writer in
            defer { started.cancel() }
            for object in started.initial {
                try await writer.write(ByteBuffer(bytes: encoder.frame(type: "ADDED", object: object.data)))
            }
            let frames = WatchFrames.merge(events: started.events, timeout: .seconds(timeout),
                                           bookmarkEvery: bookmarks ? bookmarkInterval : nil)
            var lastRevision = started.revision
            for await item in frames {
                switch item {
                case .event(let event):
                    lastRevision = max(lastRevision, event.revision)
                    try await writer.write(ByteBuffer(bytes: encoder.frame(type: event.kind.rawValue, object: event.object.data)))
                case .bookmark:
                    try await writer.write(ByteBuffer(bytes: encoder.bookmark(kind: kind, apiVersion: apiVersion,
                                                                              revision: max(lastRevision, started.revision))))
                }
            }
            try await writer.finish(nil)
        })
    }

    static var watchHeaders: HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = MediaTypes.json
        headers[.cacheControl] = "no-cache, private"
        return headers
    }
}

/// What a watch response writes next.
enum WatchFrame: Sendable {
    case event(CacheEvent)
    case bookmark
}

/// Merges cache events with bookmark ticks and ends at the timeout.
enum WatchFrames {
    static func merge(events: AsyncStream<CacheEvent>, timeout: Duration, bookmarkEvery: Duration?) -> AsyncStream<WatchFrame> {
        let (stream, continuation) = AsyncStream<WatchFrame>.makeStream()
        let pump = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await event in events { continuation.yield(.event(event)) }
                    continuation.finish()
                }
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    continuation.finish()
                }
                if let bookmarkEvery {
                    group.addTask {
                        while !Task.isCancelled {
                            try? await Task.sleep(for: bookmarkEvery)
                            if Task.isCancelled { break }
                            continuation.yield(.bookmark)
                        }
                    }
                }
                await group.next()
                group.cancelAll()
            }
        }
        continuation.onTermination = { _ in pump.cancel() }
        return stream
    }
}

/// Encodes watch events as JSON lines, or as one-row Tables for `kubectl get -w`.
struct WatchFrameEncoder: Sendable {
    let resource: any ServedResource
    let table: Bool

    func frame(type: String, object: Data) -> Data {
        var out = Data(capacity: object.count + 32)
        out.append(contentsOf: Array("{\"type\":\"\(type)\",\"object\":".utf8))
        if table, let rendered = try? ListRendering.table(resource, items: [object], revision: nil, continueToken: nil,
                                                          include: .metadata, now: .now()) {
            out.append(rendered)
        } else {
            out.append(object)
        }
        out.append(contentsOf: Array("}\n".utf8))
        return out
    }

    func bookmark(kind: String, apiVersion: String, revision: Revision) -> Data {
        Data("{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"\(kind)\",\"apiVersion\":\"\(apiVersion)\",\"metadata\":{\"resourceVersion\":\"\(revision)\"}}}\n".utf8)
    }

    func error(_ error: APIError) -> Data {
        var out = Data("{\"type\":\"ERROR\",\"object\":".utf8)
        out.append(APIResponse.encode(error.status))
        out.append(contentsOf: Array("}\n".utf8))
        return out
    }
}
