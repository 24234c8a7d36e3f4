import APIModel
import Foundation
import Hummingbird
import Logging
import NIOCore
import Storage

/// A request to a resource, parsed: the path, the query and the headers that matter.
struct ResourceRequest {
    var path: ResourcePath
    var query: QueryOptions
    var accept: String?
    var contentType: String?
    var body: Data
    /// Closes when the client's connection closes (ends watches).
    var connectionClosed: EventLoopFuture<Void>?
    /// The authenticated user.
    var user: UserInfo? = nil
    /// The `User-Agent` header (the default field manager's name comes from it).
    var userAgent: String? = nil

    var info: ResourceInfo { path.info }
    var resource: any ServedResource { path.resource }

    /// The object's store key (name required).
    var key: String { info.key(namespace: path.namespace, name: path.name ?? "") }
}

/// The REST verbs on resources: reads from the watch cache, writes to the store.
struct ResourceHandler: Sendable {
    let store: any KeyValueStore
    let cache: WatchCache
    let logger: Logger
    /// How often a watch that allows bookmarks gets one.
    var bookmarkInterval: Duration = .seconds(60)
    /// The service CIDR and NodePort range Service writes draw from.
    var serviceRanges: ServiceRanges = .default

    init(store: any KeyValueStore, cache: WatchCache, logger: Logger, bookmarkInterval: Duration = .seconds(60),
         serviceRanges: ServiceRanges = .default) {
        self.store = store
        self.cache = cache
        self.logger = logger
        self.bookmarkInterval = bookmarkInterval
        self.serviceRanges = serviceRanges
    }

    func handle(_ request: ResourceRequest, method: HTTPRequest.Method) async throws(APIError) -> Response {
        let hasName = request.path.name != nil
        if request.info.createOnly {
            guard method == .post, !hasName, request.path.subresource == nil else { throw APIError.methodNotAllowed() }
            return try AccessReview.answer(request)
        }
        switch (method, hasName) {
        case (.get, false):
            return request.query.isWatch ? try await watch(request) : try await list(request)
        case (.get, true):
            return try await get(request)
        case (.post, false):
            return try await create(request)
        case (.post, true) where request.path.subresource != nil:
            return try await act(request)
        case (.put, true):
            return try await update(request)
        case (.patch, true):
            return try await patch(request)
        case (.delete, true):
            return try await delete(request)
        case (.delete, false):
            return try await deleteCollection(request)
        default:
            throw APIError.methodNotAllowed()
        }
    }

    /// Checks the subresource in the path; returns it parsed.
    func subresource(_ request: ResourceRequest) throws(APIError) -> ResourceInfo.Subresource? {
        guard let name = request.path.subresource else { return nil }
        guard let sub = ResourceInfo.Subresource(rawValue: name), request.info.subresources.contains(sub) else {
            throw APIError.pathNotFound
        }
        if sub.isAction { throw APIError.methodNotAllowed() }
        return sub
    }

    // MARK: Reads

    func get(_ request: ResourceRequest) async throws(APIError) -> Response {
        let sub = try subresource(request)
        try await freshRead(request.query["resourceVersion"])
        guard let object = cache.get(request.key, bucket: request.info.keyPrefix) else {
            throw APIError.notFound(request.info, name: request.path.name ?? "")
        }
        if sub == .scale {
            return APIResponse.encodable(try scale(of: object.data, request))
        }
        if MediaTypes.wantsTable(request.accept) {
            let include = ListRendering.IncludeObject(rawValue: request.query["includeObject"] ?? "") ?? .metadata
            return APIResponse.json(try render { try ListRendering.table(request.resource, items: [object.data], revision: nil,
                                                                          continueToken: nil, include: include, now: .now()) })
        }
        return APIResponse.json(object.data)
    }

    /// Waits for the cache to hold every acknowledged write unless the client accepts any state (`"0"`).
    func freshRead(_ resourceVersion: String?) async throws(APIError) {
        if resourceVersion == "0" { return }
        do {
            if let text = resourceVersion, !text.isEmpty {
                guard let revision = Int64(text) else {
                    throw APIError.badRequest("invalid resource version: \(text)")
                }
                let current = try await store.currentRevision()
                if revision > current {
                    throw APIError.timeout("Too large resource version: \(revision), current: \(current)")
                }
                await cache.waitUntil(revision: revision)
            } else {
                try await cache.waitUntilFresh()
            }
        } catch let error as APIError {
            throw error
        } catch {
            throw StoreErrors.map(error, request: nil)
        }
    }

    func selectors(_ request: ResourceRequest) throws(APIError) -> ObjectFilter {
        let labels: LabelMatcher
        let fields: FieldMatcher
        do {
            labels = try LabelMatcher.parse(request.query["labelSelector"] ?? "")
        } catch {
            throw APIError.badRequest("unable to parse requirement: \(error.message)")
        }
        do {
            fields = try FieldMatcher.parse(request.query["fieldSelector"] ?? "")
            try fields.validateFields(supported: request.resource.selectableFieldNames)
        } catch {
            throw APIError.badRequest(error.message)
        }
        return ObjectFilter(bucket: request.info.keyPrefix, prefix: request.info.keyPrefix(namespace: request.path.namespace),
                            labels: labels, fields: fields)
    }

    func list(_ request: ResourceRequest) async throws(APIError) -> Response {
        guard request.path.subresource == nil else { throw APIError.methodNotAllowed() }
        let filter = try selectors(request)
        let limit = try request.query.int("limit").flatMap { $0 > 0 ? Int($0) : nil }
        var items: [Data]
        var revision: Int64
        var next: String? = nil
        if let token = request.query["continue"], !token.isEmpty {
            let start = try ContinueToken.decode(token)
            (items, revision, next) = try await listFromStore(request, filter: filter, at: start.rv, after: start.start, limit: limit)
        } else if let text = request.query["resourceVersion"], request.query["resourceVersionMatch"] == "Exact",
                  let exact = Int64(text) {
            (items, revision, next) = try await listFromStore(request, filter: filter, at: exact, after: nil, limit: limit)
        } else {
            try await freshRead(request.query["resourceVersion"])
            let page = cache.list(filter, limit: limit, after: nil)
            items = page.items.map(\.data)
            revision = page.revision
            if page.hasMore, let last = page.items.last {
                next = ContinueToken(rv: page.revision, start: last.key).encoded()
            }
        }
        if MediaTypes.wantsTable(request.accept) {
            let include = ListRendering.IncludeObject(rawValue: request.query["includeObject"] ?? "") ?? .metadata
            return APIResponse.json(try render { try ListRendering.table(request.resource, items: items, revision: revision,
                                                                          continueToken: next, include: include, now: .now()) })
        }
        return APIResponse.json(ListRendering.list(request.info, items: items, revision: revision, continueToken: next))
    }

    /// A page read from the store's history at `revision` (continuations and exact-revision lists).
    private func listFromStore(_ request: ResourceRequest, filter: ObjectFilter, at revision: Int64, after: String?,
                               limit: Int?) async throws(APIError) -> ([Data], Int64, String?) {
        var items: [Data] = []
        var cursor = after
        var lastKey: String? = nil
        do {
            while true {
                let page = try await store.list(prefix: filter.prefix, revision: revision, limit: limit.map { max($0, 100) } ?? 1000,
                                                after: cursor)
                for kv in page.items {
                    let data = ResourceVersionSplice.splice(kv.value, revision: kv.modRevision)
                    guard let summary = try? request.resource.summarize(data),
                          filter.labels.matches(summary.labels), filter.fields.matches(summary.fields) else { continue }
                    if let limit, items.count == limit {
                        return (items, revision, ContinueToken(rv: revision, start: lastKey ?? kv.key).encoded())
                    }
                    items.append(data)
                    lastKey = kv.key
                }
                guard page.hasMore, let last = page.items.last else { break }
                cursor = last.key
            }
        } catch {
            if case StoreError.compacted = error {
                throw APIError.expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
            }
            throw StoreErrors.map(error, request: request)
        }
        return (items, revision, nil)
    }

    func scale(of data: Data, _ request: ResourceRequest) throws(APIError) -> Scale {
        do {
            guard let scale = try request.resource.scale(of: data) else { throw APIError.pathNotFound }
            return scale
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.internalError("reading scale: \(error)")
        }
    }

    func render(_ body: () throws -> Data) throws(APIError) -> Data {
        do { return try body() } catch let error as APIError { throw error } catch {
            throw APIError.internalError("\(error)")
        }
    }
}

/// Store errors in the API's vocabulary.
enum StoreErrors {
    static func map(_ error: any Error, request: ResourceRequest?) -> APIError {
        if let error = error as? APIError { return error }
        guard let storeError = error as? StoreError else { return APIError.internalError("\(error)") }
        let info = request?.info
        let name = request?.path.name ?? ""
        switch storeError {
        case .alreadyExists:
            return info.map { APIError.alreadyExists($0, name: name) } ?? .internalError("already exists")
        case .notFound:
            return info.map { APIError.notFound($0, name: name) } ?? .pathNotFound
        case .conflict:
            return info.map { APIError.conflict($0, name: name) } ?? .internalError("conflict")
        case .compacted(let requested, let compacted):
            return APIError.expired("too old resource version: \(requested) (\(compacted))")
        case .futureRevision(let requested, let current):
            return APIError.timeout("Too large resource version: \(requested), current: \(current)")
        case .unavailable(let message):
            return APIError.serviceUnavailable("storage is unavailable: \(message)")
        }
    }
}
