import APIModel
import Foundation
import Hummingbird
import Storage

extension ResourceHandler {
    /// The namespaces Kubernetes refuses to delete.
    static let protectedNamespaces: Set<String> = ["default", "kube-system", "kube-public"]

    func deleteOptions(_ request: ResourceRequest) throws(APIError) -> DeleteOptions {
        var options = DeleteOptions()
        if !request.body.isEmpty {
            let json = try RequestBody.json(request.body, contentType: request.contentType)
            do { options = try JSONDecoder().decode(DeleteOptions.self, from: json) } catch {
                throw APIError.badRequest("DeleteOptions in version \"v1\" cannot be handled as a DeleteOptions: \(error)")
            }
        }
        if let grace = try request.query.int("gracePeriodSeconds") { options.gracePeriodSeconds = grace }
        if let policy = request.query["propagationPolicy"], !policy.isEmpty { options.propagationPolicy = policy }
        if let policy = options.propagationPolicy, !["Orphan", "Background", "Foreground"].contains(policy) {
            throw APIError.badRequest("propagationPolicy: Unsupported value: \"\(policy)\": supported values: \"Foreground\", \"Background\", \"Orphan\"")
        }
        return options
    }

    func delete(_ request: ResourceRequest) async throws(APIError) -> Response {
        guard request.path.subresource == nil else { throw APIError.methodNotAllowed() }
        let options = try deleteOptions(request)
        let info = request.info
        let name = request.path.name ?? ""
        if info.isNamespace && Self.protectedNamespaces.contains(name) {
            throw APIError.forbidden("namespaces \"\(name)\" is forbidden: this namespace may not be deleted",
                                     resource: info, name: name)
        }
        for _ in 0..<Self.conflictRetries {
            let existing: KeyValue?
            do { existing = try await store.get(request.key) } catch { throw StoreErrors.map(error, request: request) }
            guard let existing else { throw APIError.notFound(info, name: name) }
            let current = ResourceVersionSplice.splice(existing.value, revision: existing.modRevision)
            let meta = try decodeMeta(current)
            try check(options.preconditions, against: meta, revision: existing.modRevision, request)
            if try request.query.isDryRun { return APIResponse.json(current) }

            // Objects held by finalizers, namespaces (whose content goes first), foreground or orphaning
            // deletions (the garbage collector finishes them) and graceful deletions (the node finishes them)
            // are marked, not removed.
            let isNamespace = info.isNamespace
            let propagation = isNamespace ? nil : GarbageCollector.finalizer(for: options.propagationPolicy)
            let grace = try gracePeriod(current, requested: options.gracePeriodSeconds, request)
            if !(meta.finalizers ?? []).isEmpty || isNamespace || propagation != nil || grace > 0 {
                var marked: PreparedObject
                do {
                    marked = try request.resource.markDeleting(current, now: .now(), gracePeriodSeconds: grace,
                                                               addingFinalizer: propagation)
                    if marked.unchanged { return APIResponse.json(current) }
                    if isNamespace { marked.data = try NamespaceKeys.markTerminating(marked.data) }
                } catch { throw APIError.internalError("\(error)") }
                do {
                    let kv = try await store.update(request.key, value: marked.data, expectedRevision: existing.modRevision)
                    return APIResponse.json(ResourceVersionSplice.splice(kv.value, revision: kv.modRevision))
                } catch StoreError.conflict {
                    continue
                } catch {
                    throw StoreErrors.map(error, request: request)
                }
            }
            do {
                let kv = try await store.delete(request.key, expectedRevision: existing.modRevision)
                if Self.isService(info) { await releaseServiceValues(of: kv.value) }
                return deletedResponse(request, meta: meta, last: ResourceVersionSplice.splice(kv.value, revision: kv.modRevision))
            } catch StoreError.conflict {
                if options.preconditions?.resourceVersion != nil { throw APIError.conflict(info, name: name) }
                continue
            } catch StoreError.notFound {
                throw APIError.notFound(info, name: name)
            } catch {
                throw StoreErrors.map(error, request: request)
            }
        }
        throw APIError.conflict(info, name: name)
    }

    /// The grace period a DELETE gets: the kind's rule, but 0 when the node that would finish the deletion is
    /// not registered (nobody would finish it).
    private func gracePeriod(_ current: Data, requested: Int64?, _ request: ResourceRequest) throws(APIError) -> Int64 {
        let grace: DeletionGrace
        do { grace = try request.resource.deletionGrace(current, requested: requested) } catch {
            throw APIError.internalError("\(error)")
        }
        guard grace.seconds > 0, let node = grace.finishedByNode, !node.isEmpty,
              cache.get(NodeKeys.key(node), bucket: NodeKeys.prefix) != nil else { return 0 }
        return grace.seconds
    }

    /// Some kinds answer a deletion with the object (see `ResourceInfo.returnsDeletedObject`), the rest with a
    /// Success status.
    private func deletedResponse(_ request: ResourceRequest, meta: ObjectMeta, last: Data) -> Response {
        if request.info.returnsDeletedObject { return APIResponse.json(last) }
        let status = Status(kind: "Status", apiVersion: "v1", metadata: ListMeta(),
                            details: StatusDetails(kind: request.info.plural,
                                                   group: request.info.group.isEmpty ? nil : request.info.group,
                                                   name: meta.name, uid: meta.uid),
                            status: "Success")
        return APIResponse.encodable(status)
    }

    private func check(_ preconditions: Preconditions?, against meta: ObjectMeta, revision: Int64,
                       _ request: ResourceRequest) throws(APIError) {
        guard let preconditions else { return }
        let name = request.path.name ?? ""
        if let uid = preconditions.uid, !uid.isEmpty, uid != meta.uid {
            throw APIError.conflict(request.info, name: name,
                                    why: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(meta.uid ?? "")")
        }
        if let rv = preconditions.resourceVersion, !rv.isEmpty, rv != String(revision) {
            throw APIError.conflict(request.info, name: name,
                                    why: "Precondition failed: ResourceVersion in precondition: \(rv), ResourceVersion in object meta: \(revision)")
        }
    }

    func decodeMeta(_ data: Data) throws(APIError) -> ObjectMeta {
        struct MetaOnly: Decodable { var metadata: ObjectMeta? }
        do { return try JSONDecoder().decode(MetaOnly.self, from: data).metadata ?? ObjectMeta() } catch {
            throw APIError.internalError("decoding stored metadata: \(error)")
        }
    }

    /// Deletes every object the selectors match; answers with the list of what was deleted.
    func deleteCollection(_ request: ResourceRequest) async throws(APIError) -> Response {
        guard request.path.subresource == nil else { throw APIError.methodNotAllowed() }
        if request.info.isNamespace {
            throw APIError.methodNotAllowed()
        }
        let filter = try selectors(request)
        try await freshRead(nil)
        let page = cache.list(filter, limit: nil, after: nil)
        var deleted: [Data] = []
        for object in page.items {
            var one = request
            one.path.name = object.summary.name
            one.path.namespace = object.summary.namespace
            one.body = Data()
            do {
                _ = try await delete(one)
                deleted.append(object.data)
            } catch let error where error.code == 404 {
                continue
            }
        }
        return APIResponse.json(ListRendering.list(request.info, items: deleted, revision: cache.revision, continueToken: nil))
    }
}
