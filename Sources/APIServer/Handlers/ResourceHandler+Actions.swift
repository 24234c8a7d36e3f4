import APIModel
import Foundation
import Hummingbird
import Storage

/// The action subresources, which only take a POST: `pods/binding` (the scheduler's assignment of a pod to a
/// node) and `pods/eviction` (a deletion subject to disruption policy, as `kubectl drain` sends).
extension ResourceHandler {
    func act(_ request: ResourceRequest) async throws(APIError) -> Response {
        guard let name = request.path.subresource, let sub = ResourceInfo.Subresource(rawValue: name),
              request.info.subresources.contains(sub) else { throw APIError.pathNotFound }
        switch sub {
        case .binding: return try await bind(request)
        case .eviction: return try await evict(request)
        case .status, .scale, .log, .exec, .portforward: throw APIError.methodNotAllowed()
        }
    }

    /// A Success status with the code Kubernetes answers actions with (201).
    private func created() -> Response {
        APIResponse.encodable(Status(kind: "Status", apiVersion: "v1", metadata: ListMeta(), code: 201, status: "Success"),
                              status: 201)
    }

    private func decodeAction<T: Decodable>(_ type: T.Type, _ request: ResourceRequest, kind: String) throws(APIError) -> T {
        let json = try RequestBody.json(request.body, contentType: request.contentType)
        do { return try ModelJSON.decode(T.self, from: json) } catch {
            throw APIError.badRequest("\(kind) in version \"v1\" cannot be handled as a \(kind): \(error)")
        }
    }

    // MARK: Binding

    /// Assigns the pod to the binding's target node: sets `spec.nodeName`, merges the binding's annotations
    /// and marks the PodScheduled condition True. A pod already assigned, or being deleted, is a conflict.
    private func bind(_ request: ResourceRequest) async throws(APIError) -> Response {
        let binding = try decodeAction(Binding.self, request, kind: "Binding")
        let podName = request.path.name ?? ""
        if let name = binding.metadata?.name, !name.isEmpty, name != podName {
            throw APIError.badRequest("name in URL does not match name in Binding object")
        }
        let target = binding.target
        var causes: [FieldError] = []
        if let kind = target?.kind, !kind.isEmpty, kind != "Node" {
            causes.append(.notSupported("target.kind", kind, supported: ["", "Node"]))
        }
        if (target?.name ?? "").isEmpty { causes.append(.required("target.name")) }
        let bindingInfo = ResourceInfo(group: "", version: "v1", plural: "bindings", singular: "binding", kind: "Binding",
                                       namespaced: true, definition: "io.k8s.api.core.v1.Binding")
        if !causes.isEmpty { throw APIError.invalid(bindingInfo, name: podName, causes: causes) }
        let node = target?.name ?? ""
        let conflictInfo = ResourceInfo(group: "", version: "v1", plural: "pods/binding", singular: "", kind: "Binding",
                                        namespaced: true, definition: "")
        for _ in 0..<Self.conflictRetries {
            let existing: KeyValue?
            do { existing = try await store.get(request.key) } catch { throw StoreErrors.map(error, request: request) }
            guard let existing else { throw APIError.notFound(request.info, name: podName) }
            var pod: Pod
            do { pod = try ModelJSON.decode(Pod.self, from: existing.value) } catch {
                throw APIError.internalError("stored pod: \(error)")
            }
            if pod.metadata?.deletionTimestamp != nil {
                throw APIError.conflict(conflictInfo, name: podName, why: "pod \(podName) is being deleted, cannot be assigned to a host")
            }
            if let assigned = pod.spec?.nodeName, !assigned.isEmpty {
                throw APIError.conflict(conflictInfo, name: podName, why: "pod \(podName) is already assigned to node \"\(assigned)\"")
            }
            pod.spec?.nodeName = node
            if let annotations = binding.metadata?.annotations, !annotations.isEmpty {
                let merged = (pod.metadata?.annotations ?? [:]).merging(annotations) { $1 }
                pod.metadata?.annotations = merged
            }
            var status = pod.status ?? PodStatus()
            PodConditions.set(&status, type: "PodScheduled", status: "True", now: .now())
            pod.status = status
            pod.metadata?.resourceVersion = nil
            let data: Data
            do { data = try StoredEncoding.encode(pod) } catch { throw APIError.internalError("\(error)") }
            do {
                _ = try await store.update(request.key, value: data, expectedRevision: existing.modRevision)
                return created()
            } catch StoreError.conflict {
                continue
            } catch {
                throw StoreErrors.map(error, request: request)
            }
        }
        throw APIError.conflict(request.info, name: podName)
    }

    // MARK: Eviction

    /// Deletes the pod with the eviction's delete options. (No PodDisruptionBudgets are served, so no
    /// eviction is refused for disruption.)
    private func evict(_ request: ResourceRequest) async throws(APIError) -> Response {
        let eviction = try decodeAction(Eviction.self, request, kind: "Eviction")
        let podName = request.path.name ?? ""
        if let name = eviction.metadata?.name, !name.isEmpty, name != podName {
            throw APIError.badRequest("name in URL does not match name in Eviction object")
        }
        var deletion = request
        deletion.path.subresource = nil
        deletion.contentType = "application/json"
        deletion.body = Data()
        if let options = eviction.deleteOptions {
            do { deletion.body = try JSONEncoder().encode(options) } catch { throw APIError.internalError("\(error)") }
        }
        _ = try await delete(deletion)
        return created()
    }
}
