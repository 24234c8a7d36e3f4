import APIModel
import Foundation

/// A list of any kind as the API returns it, when no generated `…List` type is at hand.
public struct ObjectList<Item: Codable & Sendable & Hashable>: KubernetesList {
    public static var groupVersionKind: GroupVersionKind { GroupVersionKind(group: "", version: "v1", kind: "List") }
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ListMeta?
    public var items: [Item]?

    public init(apiVersion: String? = nil, kind: String? = nil, metadata: ListMeta? = nil, items: [Item]? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.items = items
    }
}

extension ObjectList: JSONReadable where Item: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONParsingError) {
        self.init()
        try reader.beginObject()
        var first = true
        while let key = try reader.nextKey(first: &first) {
            switch key {
            case "kind": kind = try reader.readOptional(String.self)
            case "apiVersion": apiVersion = try reader.readOptional(String.self)
            case "metadata": metadata = try reader.readOptional(ListMeta.self)
            case "items": items = try reader.readOptional([Item].self)
            default: try reader.skipUnknownField()
            }
        }
    }
}

extension KubernetesClient {
    /// `GET` one object. Cluster-scoped resources ignore `namespace`.
    public func get<T: KubernetesObject>(_ type: T.Type, name: String, namespace: String? = nil,
                                         resource: ResourcePath) async throws -> T {
        try ModelJSON.decode(T.self, from: try await checked(method: "GET", path: resource.object(name, namespace: namespace)))
    }

    /// `GET` the collection as the generated list type `L` (e.g. `PodList`). A nil namespace lists across all
    /// namespaces. One page only: follow `metadata.continue` with `options.continueToken` when `limit` is set.
    /// `decoder` decodes the body (e.g. `JSONDecoder.skippingManagedFields()`).
    public func list<L: KubernetesList>(_ type: L.Type, namespace: String? = nil, resource: ResourcePath,
                                        options: ListOptions = ListOptions(),
                                        decoder: JSONDecoder = JSONDecoder()) async throws -> L {
        let query = options.query(watch: false)
        let path = resource.collection(namespace: namespace) + (query.isEmpty ? "" : "?\(query)")
        return try ModelJSON.decode(L.self, from: try await checked(method: "GET", path: path), decoder: decoder)
    }

    /// `GET` the collection and return its items with the list's resourceVersion (the point a watch can
    /// start from to see every later change).
    public func listItems<T: KubernetesObject>(_ type: T.Type, namespace: String? = nil, resource: ResourcePath,
                                               options: ListOptions = ListOptions(),
                                               decoder: JSONDecoder = JSONDecoder()) async throws -> (items: [T], resourceVersion: String?) {
        let list = try await self.list(ObjectList<T>.self, namespace: namespace, resource: resource, options: options,
                                       decoder: decoder)
        return (list.items ?? [], list.metadata?.resourceVersion)
    }

    /// `POST` `object` to its collection and return what the server stored. The namespace is `namespace`, or
    /// else the object's `metadata.namespace`.
    public func create<T: KubernetesObject>(_ object: T, namespace: String? = nil, resource: ResourcePath) async throws -> T {
        let path = resource.collection(namespace: namespace ?? object.metadata?.namespace)
        let body = try ModelJSON.encode(object)
        return try ModelJSON.decode(T.self, from: try await checked(method: "POST", path: path, body: body))
    }

    /// `PUT` `object` over the stored one named by its `metadata.name` (and `metadata.namespace`). Send the
    /// `metadata.resourceVersion` you read to get a 409 Conflict if it changed since.
    public func update<T: KubernetesObject>(_ object: T, resource: ResourcePath) async throws -> T {
        let path = resource.object(object.metadata?.name ?? "", namespace: object.metadata?.namespace)
        let body = try ModelJSON.encode(object)
        return try ModelJSON.decode(T.self, from: try await checked(method: "PUT", path: path, body: body))
    }

    /// `DELETE` one object; returns the response body (the deleted object or a `Status`, depending on the kind).
    @discardableResult
    public func delete(name: String, namespace: String? = nil, resource: ResourcePath,
                       gracePeriodSeconds: Int? = nil, propagationPolicy: String? = nil) async throws -> Data {
        let query = PathEscaping.query([("gracePeriodSeconds", gracePeriodSeconds.map(String.init)),
                                        ("propagationPolicy", propagationPolicy)])
        let path = resource.object(name, namespace: namespace) + (query.isEmpty ? "" : "?\(query)")
        return try await checked(method: "DELETE", path: path)
    }

    /// `PATCH` one object with a JSON merge patch (RFC 7386, `application/merge-patch+json`) and return the result.
    public func patch<T: KubernetesObject>(_ type: T.Type, name: String, namespace: String? = nil, resource: ResourcePath,
                                           mergePatch: Data) async throws -> T {
        let body = try await checked(method: "PATCH", path: resource.object(name, namespace: namespace), body: mergePatch,
                                     contentType: "application/merge-patch+json")
        return try ModelJSON.decode(T.self, from: body)
    }

    /// `patch(…, mergePatch:)` with the patch given as a JSON value.
    public func patch<T: KubernetesObject>(_ type: T.Type, name: String, namespace: String? = nil, resource: ResourcePath,
                                           mergePatch: JSONValue) async throws -> T {
        try await patch(type, name: name, namespace: namespace, resource: resource, mergePatch: try ModelJSON.encode(mergePatch))
    }
}

// MARK: Kinds with a known resource

extension KubernetesClient {
    public func get<T: ServedKind>(_ type: T.Type, name: String, namespace: String? = nil) async throws -> T {
        try await get(type, name: name, namespace: namespace, resource: T.resourcePath)
    }

    public func listItems<T: ServedKind>(_ type: T.Type, namespace: String? = nil, options: ListOptions = ListOptions(),
                                         decoder: JSONDecoder = JSONDecoder()) async throws -> (items: [T], resourceVersion: String?) {
        try await listItems(type, namespace: namespace, resource: T.resourcePath, options: options, decoder: decoder)
    }

    public func create<T: ServedKind>(_ object: T, namespace: String? = nil) async throws -> T {
        try await create(object, namespace: namespace, resource: T.resourcePath)
    }

    public func update<T: ServedKind>(_ object: T) async throws -> T {
        try await update(object, resource: T.resourcePath)
    }

    @discardableResult
    public func delete<T: ServedKind>(_ type: T.Type, name: String, namespace: String? = nil) async throws -> Data {
        try await delete(name: name, namespace: namespace, resource: T.resourcePath)
    }

    public func patch<T: ServedKind>(_ type: T.Type, name: String, namespace: String? = nil, mergePatch: Data) async throws -> T {
        try await patch(type, name: name, namespace: namespace, resource: T.resourcePath, mergePatch: mergePatch)
    }

    public func watch<T: ServedKind>(_ type: T.Type, namespace: String? = nil, options: ListOptions = ListOptions(),
                                     decoder: JSONDecoder = JSONDecoder()) async throws -> AsyncThrowingStream<WatchEvent<T>, any Error> {
        try await watch(type, namespace: namespace, resource: T.resourcePath, options: options, decoder: decoder)
    }
}
