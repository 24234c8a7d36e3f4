import APIModel
import FieldManagement
import Foundation
import Hummingbird
import Storage

/// Server-side apply: `PATCH` with `application/apply-patch+yaml`, a `fieldManager`, and optionally `force`.
/// The body is an applied configuration (a partial object, YAML or JSON); `FieldManager.apply` merges it
/// and tracks ownership; the result goes through the same defaulting, validation and storage as any write.
/// Applying to a missing object creates it.
extension ResourceHandler {
    func applyPatch(_ request: ResourceRequest) async throws(APIError) -> Response {
        let sub = try subresource(request)
        if sub == .scale { throw APIError.unsupportedMediaType(request.contentType ?? "") }
        guard let manager = request.query["fieldManager"], !manager.isEmpty else {
            throw APIError.badRequest("PATCH, application/apply-patch+yaml: fieldManager is required for apply requests")
        }
        try ManagedFieldsTracking.validate(manager)
        let force = request.query.bool("force")
        let config = try appliedConfiguration(request)
        let info = request.info
        let name = request.path.name ?? ""
        let ignoring = ManagedFieldsTracking.ignored(info, subresource: sub)
        let fieldManager = ManagedFieldsTracking.fieldManager

        func apply(to live: JSONValue?) throws(APIError) -> JSONValue {
            do {
                return try fieldManager.apply(live: live, config: config, definition: info.definition, manager: manager,
                                              apiVersion: info.groupVersion, subresource: sub?.rawValue, force: force,
                                              time: .now(), ignoring: ignoring)
            } catch {
                throw APIError(code: 409, reason: "Conflict", message: error.message, details: StatusDetails(causes: error.causes))
            }
        }

        // A missing object is created from the configuration.
        if sub == nil {
            let existing: KeyValue?
            do { existing = try await store.get(request.key) } catch { throw StoreErrors.map(error, request: request) }
            if existing == nil {
                let created = try apply(to: nil).serialized()
                var createRequest = request
                createRequest.path.name = nil
                let context = WriteContext(namespace: request.path.namespace, name: name,
                                           fieldValidation: try request.query.fieldValidation)
                let prepared = try request.resource.prepareCreate(created, context: context)
                do {
                    return try await store(prepared, request: createRequest, status: 201)
                } catch let error where error.reason == "AlreadyExists" {
                    // Created meanwhile: apply to it below.
                }
            }
        }
        return try await replace(request, subresource: sub, precondition: nil, tracksFields: false) { existing throws(APIError) in
            let live: JSONValue
            do { live = try JSONValue(parsing: existing) } catch { throw APIError.internalError("stored object: \(error)") }
            return try apply(to: live).serialized()
        }
    }

    /// The applied configuration of the request: an object of the resource's kind and version, naming the
    /// object of the URL, without managedFields.
    private func appliedConfiguration(_ request: ResourceRequest) throws(APIError) -> JSONValue {
        let json = try RequestBody.json(request.body, contentType: MediaTypes.yaml)
        let config: JSONValue
        do { config = try JSONValue(parsing: json) } catch { throw APIError.badRequest("error decoding YAML: \(error)") }
        guard case .object = config else {
            throw APIError.badRequest("error decoding YAML: the applied configuration must be an object")
        }
        let info = request.info
        let apiVersion = config["apiVersion"]?.stringValue ?? ""
        let kind = config["kind"]?.stringValue ?? ""
        if apiVersion.isEmpty || kind.isEmpty {
            throw APIError.badRequest("apiVersion and kind are required in an applied configuration (\(info.kind) in \(info.groupVersion))")
        }
        if apiVersion != info.groupVersion {
            throw APIError.badRequest("the API version in the data (\(apiVersion)) does not match the expected API version (\(info.groupVersion))")
        }
        if kind != info.kind {
            throw APIError.badRequest("the kind of the object (\(kind)) does not match the expected kind (\(info.kind))")
        }
        let urlName = request.path.name ?? ""
        if let name = config["metadata"]?["name"]?.stringValue, !name.isEmpty, name != urlName {
            throw APIError.badRequest("the name of the object (\(name)) does not match the name on the URL (\(urlName))")
        }
        if let managed = config["metadata"]?["managedFields"], managed != .null {
            throw APIError.badRequest("metadata.managedFields must be nil")
        }
        return config
    }
}
