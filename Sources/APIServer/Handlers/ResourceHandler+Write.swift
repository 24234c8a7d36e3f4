import APIModel
import Foundation
import Hummingbird
import Storage

extension ResourceHandler {
    /// How many times a write without a resourceVersion precondition is retried after losing a race.
    static let conflictRetries = 8

    private func writeContext(_ request: ResourceRequest, subresource: ResourceInfo.Subresource? = nil) throws(APIError) -> WriteContext {
        WriteContext(namespace: request.path.namespace, name: request.path.name,
                     fieldValidation: try request.query.fieldValidation, subresource: subresource)
    }

    // MARK: Create

    func create(_ request: ResourceRequest) async throws(APIError) -> Response {
        guard request.path.subresource == nil else { throw APIError.methodNotAllowed() }
        if request.info.namespaced && request.path.namespace == nil {
            throw APIError.methodNotAllowed("the server does not allow this method on the requested resource (post \(request.info.plural))")
        }
        let json = try RequestBody.json(request.body, contentType: request.contentType)
        var prepared = try request.resource.prepareCreate(json, context: try writeContext(request))
        prepared.data = try ManagedFieldsTracking.recordUpdate(live: nil, new: prepared.data, request, subresource: nil)
        return try await store(prepared, request: request, status: 201)
    }

    /// Stores a prepared new object (checking its namespace) and answers with it.
    func store(_ prepared: PreparedObject, request: ResourceRequest, status: Int) async throws(APIError) -> Response {
        let info = request.info
        if info.namespaced, let namespace = prepared.metadata.namespace {
            try await checkNamespaceAcceptsContent(namespace)
        }
        let key = info.key(namespace: prepared.metadata.namespace, name: prepared.name)
        if try request.query.isDryRun {
            let present: Bool
            do { present = try await store.get(key) != nil } catch { throw StoreErrors.map(error, request: request) }
            if present { throw APIError.alreadyExists(info, name: prepared.name) }
            let allocated = try await allocateServiceValues(prepared.data, existing: nil, request)
            return APIResponse.json(allocated?.data ?? prepared.data, status: status, warnings: prepared.warnings)
        }
        let allocated = try await allocateServiceValues(prepared.data, existing: nil, request)
        do {
            let kv = try await store.create(key, value: allocated?.data ?? prepared.data)
            await finishServiceAllocation(allocated, succeeded: true)
            return APIResponse.json(ResourceVersionSplice.splice(kv.value, revision: kv.modRevision), status: status,
                                    warnings: prepared.warnings)
        } catch StoreError.alreadyExists {
            await finishServiceAllocation(allocated, succeeded: false)
            throw APIError.alreadyExists(info, name: prepared.name)
        } catch {
            await finishServiceAllocation(allocated, succeeded: false)
            throw StoreErrors.map(error, request: request)
        }
    }

    /// 404 for a missing namespace, 403 for one being deleted.
    /// As Kubernetes' NamespaceLifecycle admission: the cached namespace decides; a namespace not yet in the
    /// cache (created a moment ago) is read from the store.
    private func checkNamespaceAcceptsContent(_ namespace: String) async throws(APIError) {
        let terminating = APIError.forbidden("unable to create new content in namespace \(namespace) because it is being terminated")
        if let cached = cache.get(NamespaceKeys.key(namespace), bucket: NamespaceKeys.prefix) {
            if cached.summary.isDeleting || cached.summary.fields["status.phase"] == "Terminating" { throw terminating }
            return
        }
        let kv: KeyValue?
        do { kv = try await store.get(NamespaceKeys.key(namespace)) } catch { throw StoreErrors.map(error, request: nil) }
        guard let kv else { throw APIError.namespaceNotFound(namespace) }
        if NamespaceKeys.isTerminating(kv.value) { throw terminating }
    }

    // MARK: Update

    func update(_ request: ResourceRequest) async throws(APIError) -> Response {
        let sub = try subresource(request)
        let json = try RequestBody.json(request.body, contentType: request.contentType)
        let precondition = BodyFacts.resourceVersion(json)
        return try await replace(request, subresource: sub, precondition: precondition) { existing throws(APIError) in
            if sub == .scale { return try replicasBody(fromScale: json, existing: existing, request: request) }
            return json
        }
    }

    /// Reads the object, computes its replacement with `body(existing)`, and writes it guarded by the
    /// revision read. Without a precondition, a lost race is retried with a fresh read.
    /// `tracksFields` false leaves managedFields as `body` computed them (server-side apply does its own).
    func replace(_ request: ResourceRequest, subresource: ResourceInfo.Subresource?, precondition: Int64?,
                 tracksFields: Bool = true,
                 body: (_ existing: Data) throws(APIError) -> Data) async throws(APIError) -> Response {
        let key = request.key
        let context = try writeContext(request, subresource: subresource == .scale ? nil : subresource)
        for _ in 0..<Self.conflictRetries {
            let existing: KeyValue?
            do { existing = try await store.get(key) } catch { throw StoreErrors.map(error, request: request) }
            guard let existing else {
                if request.info.allowCreateOnUpdate && subresource == nil {
                    var created = try request.resource.prepareCreate(try body(Data("{}".utf8)), context: context)
                    if tracksFields {
                        created.data = try ManagedFieldsTracking.recordUpdate(live: nil, new: created.data, request, subresource: nil)
                    }
                    return try await store(created, request: request, status: 201)
                }
                throw APIError.notFound(request.info, name: request.path.name ?? "")
            }
            if let precondition, precondition != existing.modRevision {
                throw APIError.conflict(request.info, name: request.path.name ?? "")
            }
            let current = ResourceVersionSplice.splice(existing.value, revision: existing.modRevision)
            var prepared = try request.resource.prepareUpdate(try body(current), existing: current, context: context)
            if tracksFields && !prepared.unchanged {
                prepared.data = try ManagedFieldsTracking.recordUpdate(live: current, new: prepared.data, request,
                                                                       subresource: subresource)
            }
            let dryRun = try request.query.isDryRun
            let allocated = prepared.unchanged ? nil : try await allocateServiceValues(prepared.data, existing: current, request)
            if let allocated { prepared.data = allocated.data }
            if prepared.unchanged || dryRun {
                return try respond(current: prepared.unchanged ? current : prepared.data, request, subresource,
                                   warnings: prepared.warnings)
            }
            do {
                // An object being deleted whose last finalizer is removed is gone, unless a graceful deletion is
                // still under way. (Namespaces are finished by the NamespaceCleaner once their content is gone.)
                if !request.info.isNamespace, prepared.metadata.deletionTimestamp != nil, (prepared.metadata.finalizers ?? []).isEmpty,
                   (prepared.metadata.deletionGracePeriodSeconds ?? 0) == 0 {
                    let kv = try await store.delete(key, expectedRevision: existing.modRevision)
                    await finishServiceAllocation(allocated, succeeded: true)
                    return try respond(current: ResourceVersionSplice.splice(prepared.data, revision: kv.modRevision), request,
                                       subresource, warnings: prepared.warnings)
                }
                let kv = try await store.update(key, value: prepared.data, expectedRevision: existing.modRevision)
                await finishServiceAllocation(allocated, succeeded: true)
                return try respond(current: ResourceVersionSplice.splice(kv.value, revision: kv.modRevision), request, subresource,
                                   warnings: prepared.warnings)
            } catch StoreError.conflict {
                await finishServiceAllocation(allocated, succeeded: false)
                if precondition != nil { throw APIError.conflict(request.info, name: request.path.name ?? "") }
                continue
            } catch StoreError.notFound {
                await finishServiceAllocation(allocated, succeeded: false)
                continue
            } catch {
                await finishServiceAllocation(allocated, succeeded: false)
                throw StoreErrors.map(error, request: request)
            }
        }
        throw APIError.conflict(request.info, name: request.path.name ?? "")
    }

    private func respond(current: Data, _ request: ResourceRequest, _ subresource: ResourceInfo.Subresource?,
                         warnings: [String]) throws(APIError) -> Response {
        if subresource == .scale { return APIResponse.encodable(try scale(of: current, request), warnings: warnings) }
        return APIResponse.json(current, warnings: warnings)
    }

    /// The object body that applies a `Scale`'s replicas to `existing`.
    private func replicasBody(fromScale json: Data, existing: Data, request: ResourceRequest) throws(APIError) -> Data {
        let scale: Scale
        do { scale = try JSONDecoder().decode(Scale.self, from: json) } catch {
            throw APIError.badRequest("Scale in version \"v1\" cannot be handled as a Scale: \(error)")
        }
        guard let replicas = scale.spec?.replicas else {
            return existing
        }
        if replicas < 0 {
            throw APIError.invalid(ResourceInfo(group: "autoscaling", version: "v1", plural: "scale", singular: "scale",
                                                kind: "Scale", namespaced: true, definition: ""),
                                   name: request.path.name ?? "",
                                   causes: [.invalidValue("spec.replicas", String(replicas), "must be greater than or equal to 0")])
        }
        do { return try request.resource.settingReplicas(replicas, in: existing) } catch let error as APIError { throw error } catch {
            throw APIError.internalError("\(error)")
        }
    }

    // MARK: Patch

    func patch(_ request: ResourceRequest) async throws(APIError) -> Response {
        let type = MediaTypes.essence(request.contentType)
        if type == MediaTypes.applyPatch { return try await applyPatch(request) }
        if request.query["force"] != nil {
            throw APIError.badRequest("force: Forbidden: may not be specified for non-apply patch")
        }
        let sub = try subresource(request)
        let patch: JSONValue
        do {
            patch = try JSONValue(parsing: request.body)
        } catch {
            throw APIError.badRequest("error decoding patch: \(error)")
        }
        guard [MediaTypes.mergePatch, MediaTypes.jsonPatch, MediaTypes.strategicMergePatch].contains(type) else {
            throw APIError.unsupportedMediaType(request.contentType ?? "")
        }
        let precondition = patch["metadata"]?["resourceVersion"]?.stringValue.flatMap { Int64($0) }
        let definition = request.info.definition
        return try await replace(request, subresource: sub, precondition: precondition) { existing throws(APIError) in
            if sub == .scale {
                let scale = try scale(of: existing, request)
                let patched = try apply(patch, type: type, to: JSONValue(encoding: scale), definition: "io.k8s.api.autoscaling.v1.Scale")
                return try replicasBody(fromScale: patched.serialized(), existing: existing, request: request)
            }
            let document: JSONValue
            do { document = try JSONValue(parsing: existing) } catch { throw APIError.internalError("stored object: \(error)") }
            return try apply(patch, type: type, to: document, definition: definition).serialized()
        }
    }

    private func apply(_ patch: JSONValue, type: String, to document: JSONValue, definition: String) throws(APIError) -> JSONValue {
        do {
            switch type {
            case MediaTypes.mergePatch:
                try JSONMergePatch.validate(patch)
                return JSONMergePatch.apply(patch, to: document)
            case MediaTypes.jsonPatch:
                return try JSONPatch.apply(patch, to: document)
            default:
                guard case .object = patch else { throw APIError.badRequest("a strategic merge patch must be a JSON object") }
                return try StrategicMergePatch.apply(patch, to: document, definition: definition)
            }
        } catch let error as APIError {
            throw error
        } catch let error as PatchError {
            throw PatchErrors.map(error)
        } catch {
            throw APIError.badRequest("\(error)")
        }
    }
}

/// Facts read from a JSON body without decoding it into a kind.
enum BodyFacts {
    private struct MetaOnly: Decodable {
        struct Meta: Decodable { var resourceVersion: String? }
        var metadata: Meta?
    }

    /// `metadata.resourceVersion` as a revision, when present and numeric.
    static func resourceVersion(_ json: Data) -> Int64? {
        guard let meta = try? JSONDecoder().decode(MetaOnly.self, from: json),
              let text = meta.metadata?.resourceVersion, !text.isEmpty else { return nil }
        return Int64(text) ?? -1
    }
}

extension JSONValue {
    /// The JSON document of an encodable value.
    init<T: Encodable>(encoding value: T) throws(APIError) {
        do { self = try JSONValue(parsing: APIResponse.encode(value)) } catch { throw APIError.internalError("\(error)") }
    }
}

/// Patch errors as the API answers them.
enum PatchErrors {
    static func map(_ error: PatchError) -> APIError {
        APIError(code: error.httpStatus, reason: error.statusReason, message: error.statusMessage)
    }
}
