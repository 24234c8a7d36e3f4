import APIClient
import APIModel
import ControllerRuntime
import Foundation

/// One Service's sync: compute its endpoints from the caches, then bring the Endpoints object and the
/// EndpointSlices in line.
extension EndpointsController {
    func sync(_ key: ObjectKey) async throws {
        guard let service = services.get(key) else {
            try await deleteEndpoints(key)
            for slice in slices.list(where: { self.belongs($0, to: key) }) { try await delete(slice) }
            return
        }
        guard ServiceEndpoints.manages(service) else { return }
        let computed = ServiceEndpoints(service: service, pods: pods.list { $0.metadata?.namespace == key.namespace })
        try await syncEndpoints(service, computed, key: key)
        try await syncSlices(service, computed, key: key)
    }

    // MARK: Endpoints

    private func syncEndpoints(_ service: Service, _ computed: ServiceEndpoints, key: ObjectKey) async throws {
        let subsets = computed.subsets(publishNotReadyAddresses: service.spec?.publishNotReadyAddresses ?? false)
        var labels = service.metadata?.labels ?? [:]
        if service.spec?.clusterIP == "None" { labels[ServiceEndpoints.headlessLabel] = "" }
        if var existing = endpoints.get(key) {
            guard (existing.subsets ?? []) != subsets || (existing.metadata?.labels ?? [:]) != labels else { return }
            existing.subsets = subsets.isEmpty ? nil : subsets
            existing.metadata?.labels = labels.isEmpty ? nil : labels
            existing.metadata?.managedFields = nil
            _ = try await client.update(existing)
        } else {
            let object = Endpoints(metadata: ObjectMeta(labels: labels.isEmpty ? nil : labels, name: key.name,
                                                        namespace: key.namespace),
                                   subsets: subsets.isEmpty ? nil : subsets)
            _ = try await client.create(object, namespace: key.namespace)
        }
    }

    private func deleteEndpoints(_ key: ObjectKey) async throws {
        guard endpoints.get(key) != nil else { return }
        let response = try await client.request(method: "DELETE", path: Endpoints.resourcePath.object(key.name, namespace: key.namespace))
        guard response.isSuccess || response.status == 404 else {
            throw KubernetesClientError(httpStatus: response.status, body: response.body)
        }
    }

    // MARK: EndpointSlices

    /// One desired slice: a port list and at most `maxEndpointsPerSlice` endpoints.
    struct DesiredSlice: Equatable {
        var ports: [DiscoveryEndpointPort]
        var endpoints: [Endpoint]
    }

    static func desiredSlices(_ computed: ServiceEndpoints) -> [DesiredSlice] {
        var slices: [DesiredSlice] = []
        for group in computed.groups {
            let endpoints = ServiceEndpoints.sliceEndpoints(group)
            var start = 0
            repeat {
                let end = min(start + maxEndpointsPerSlice, endpoints.count)
                slices.append(DesiredSlice(ports: group.ports, endpoints: Array(endpoints[start..<end])))
                start = end
            } while start < endpoints.count
        }
        // Kubernetes keeps one empty slice for a Service without endpoints.
        return slices.isEmpty ? [DesiredSlice(ports: [], endpoints: [])] : slices
    }

    private func syncSlices(_ service: Service, _ computed: ServiceEndpoints, key: ObjectKey) async throws {
        var existing = slices.list { self.belongs($0, to: key) }.sorted { ($0.metadata?.name ?? "") < ($1.metadata?.name ?? "") }
        let labels = sliceLabels(service)
        for desired in Self.desiredSlices(computed) {
            if let index = existing.firstIndex(where: { ($0.ports ?? []) == desired.ports }) {
                var slice = existing.remove(at: index)
                if (slice.endpoints ?? []) == desired.endpoints && slice.metadata?.labels == labels { continue }
                slice.endpoints = desired.endpoints
                slice.metadata?.labels = labels
                slice.metadata?.managedFields = nil
                _ = try await client.update(slice)
            } else {
                var metadata = ObjectMeta(generateName: "\(key.name)-", labels: labels, namespace: key.namespace)
                metadata.ownerReferences = [OwnerReference(kind: "Service", apiVersion: "v1", blockOwnerDeletion: true,
                                                           controller: true, name: key.name, uid: service.metadata?.uid ?? "")]
                let slice = EndpointSlice(metadata: metadata, addressType: "IPv4", endpoints: desired.endpoints,
                                          ports: desired.ports.isEmpty ? nil : desired.ports)
                _ = try await client.create(slice, namespace: key.namespace)
            }
        }
        for leftover in existing { try await delete(leftover) }
    }

    private func sliceLabels(_ service: Service) -> [String: String] {
        var labels = service.metadata?.labels ?? [:]
        labels[Self.serviceNameLabel] = service.metadata?.name ?? ""
        labels[Self.managedByLabel] = Self.managedBy
        if service.spec?.clusterIP == "None" { labels[ServiceEndpoints.headlessLabel] = "" }
        return labels
    }

    func belongs(_ slice: EndpointSlice, to key: ObjectKey) -> Bool {
        slice.metadata?.namespace == key.namespace && slice.metadata?.labels?[Self.serviceNameLabel] == key.name
    }

    private func delete(_ slice: EndpointSlice) async throws {
        let path = EndpointSlice.resourcePath.object(slice.metadata?.name ?? "", namespace: slice.metadata?.namespace)
        let response = try await client.request(method: "DELETE", path: path)
        guard response.isSuccess || response.status == 404 else {
            throw KubernetesClientError(httpStatus: response.status, body: response.body)
        }
    }
}
