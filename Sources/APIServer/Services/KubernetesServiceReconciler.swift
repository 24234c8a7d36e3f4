import APIClient
import APIModel
import Foundation
import Logging

/// The `kubernetes` Service in `default`, as kube-apiserver's bootstrap controller keeps it: cluster IP the
/// first address of the service CIDR (`10.43.0.1`), port `https` 443 → the API's port, no selector, and an
/// Endpoints object and an EndpointSlice of the same name holding the advertised addresses of every live API
/// server (`APIServerPresence`).
///
/// Reconciled once the listener's port is known and then every `interval`; only what differs is written, so
/// several servers on one store converge on the same sorted list. On cancellation the server withdraws its
/// presence; the others drop its address at their next round (a killed server's after the presence TTL).
struct KubernetesServiceReconciler: Sendable {
    let client: KubernetesClient
    let ranges: ServiceRanges
    let presence: APIServerPresence
    let interval: Duration
    let logger: Logger

    static let name = "kubernetes"
    static let namespace = "default"

    func run() async {
        while !Task.isCancelled {
            do {
                try await presence.renew()
                try await reconcile(port: presence.port, addresses: try await presence.live())
            } catch {
                logger.warning("reconciling the kubernetes Service: \(error)")
            }
            do { try await Task.sleep(for: interval) } catch { break }
        }
        await presence.withdraw()
    }

    func reconcile(port: Int, addresses: [String]) async throws {
        let labels = ["component": "apiserver", "provider": "kubernetes"]
        var spec = ServiceSpec()
        spec.clusterIP = ranges.kubernetesServiceIP
        spec.ports = [ServicePort(name: "https", port: 443, protocol: "TCP", targetPort: .int(Int32(port)))]
        spec.type = "ClusterIP"
        spec.sessionAffinity = "None"
        if var existing = try await get(Service.self) {
            if existing.spec?.ports != spec.ports {
                existing.spec?.ports = spec.ports
                existing.metadata?.managedFields = nil
                _ = try await client.update(existing)
            }
        } else {
            _ = try await create(Service(metadata: ObjectMeta(labels: labels, name: Self.name, namespace: Self.namespace),
                                         spec: spec))
        }

        let subsets = [EndpointSubset(addresses: addresses.map { EndpointAddress(ip: $0) },
                                      ports: [EndpointPort(name: "https", port: Int32(port), protocol: "TCP")])]
        if var existing = try await get(Endpoints.self) {
            if existing.subsets != subsets {
                existing.subsets = subsets
                existing.metadata?.managedFields = nil
                _ = try await client.update(existing)
            }
        } else {
            _ = try await create(Endpoints(metadata: ObjectMeta(labels: ["endpointslice.kubernetes.io/skip-mirror": "true"],
                                                                name: Self.name, namespace: Self.namespace),
                                           subsets: subsets))
        }

        let endpoints = addresses.map {
            Endpoint(addresses: [$0], conditions: EndpointConditions(ready: true, serving: true, terminating: false))
        }
        let ports = [DiscoveryEndpointPort(name: "https", port: Int32(port), protocol: "TCP")]
        if var existing = try await get(EndpointSlice.self) {
            if existing.endpoints != endpoints || existing.ports != ports {
                existing.endpoints = endpoints
                existing.ports = ports
                existing.metadata?.managedFields = nil
                _ = try await client.update(existing)
            }
        } else {
            _ = try await create(EndpointSlice(
                metadata: ObjectMeta(labels: ["kubernetes.io/service-name": Self.name], name: Self.name, namespace: Self.namespace),
                addressType: "IPv4", endpoints: endpoints, ports: ports))
        }
    }

    private func get<T: ServedKind>(_ type: T.Type) async throws -> T? {
        do {
            return try await client.get(type, name: Self.name, namespace: Self.namespace)
        } catch let error as KubernetesClientError where error.code == 404 {
            return nil
        }
    }

    /// Creates `object`; another server having created it meanwhile is no failure.
    private func create<T: ServedKind>(_ object: T) async throws {
        do {
            _ = try await client.create(object, namespace: Self.namespace)
        } catch let error as KubernetesClientError where error.code == 409 {
            return
        }
    }
}
