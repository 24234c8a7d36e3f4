import APIClient
import APIModel
import ControllerRuntime
import Foundation
import Logging

/// Kubernetes' endpoints and EndpointSlice controllers in one: for every Service with a selector it keeps the
/// Endpoints object of the same name and the Service's EndpointSlices (`discovery.k8s.io/v1`, managed by
/// `endpointslice-controller.k8s.io`, owned by the Service) equal to `ServiceEndpoints` computed from the pod
/// cache.
///
/// Contracts:
/// - A Service is synced from a work queue (never by two workers at once) when it, a pod it selects (before or
///   after a change), or one of its Endpoints/EndpointSlices changes; failures retry with backoff.
/// - Writes happen only when what is stored differs from what is computed. A Service without endpoints still
///   has an Endpoints object without subsets and one empty slice, as in Kubernetes.
/// - Services without a selector are left alone (their Endpoints belong to the user); a deleted Service's
///   Endpoints are deleted (its slices go with it through their owner reference, and are deleted here too).
/// - Slices hold at most `maxEndpointsPerSlice` endpoints (100, Kubernetes' default), one port list each.
public final class EndpointsController: Sendable {
    public static let managedBy = "endpointslice-controller.k8s.io"
    public static let managedByLabel = "endpointslice.kubernetes.io/managed-by"
    public static let serviceNameLabel = "kubernetes.io/service-name"
    public static let maxEndpointsPerSlice = 100

    let client: KubernetesClient
    let pods: Informer<Pod>
    let services: Informer<Service>
    let endpoints: Informer<Endpoints>
    let slices: Informer<EndpointSlice>
    let queue = WorkQueue<ObjectKey>()
    let workers: Int
    let logger: Logger

    public init(client: KubernetesClient, pods: Informer<Pod>, workers: Int = 5,
                logger: Logger = Logger(label: "skiff.endpoints")) {
        self.client = client
        self.pods = pods
        self.services = Informer<Service>(client: client, logger: logger)
        self.endpoints = Informer<Endpoints>(client: client, logger: logger)
        self.slices = Informer<EndpointSlice>(client: client, labelSelector: "\(Self.managedByLabel)=\(Self.managedBy)",
                                              logger: logger)
        self.workers = workers
        self.logger = logger
    }

    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.services.run() }
            group.addTask { await self.endpoints.run() }
            group.addTask { await self.slices.run() }
            group.addTask { await self.queue.run() }
            group.addTask {
                for await event in self.services.subscribe() { self.queue.add(ObjectKey(event.object)) }
            }
            group.addTask {
                for await event in self.endpoints.subscribe() { self.queue.add(ObjectKey(event.object)) }
            }
            group.addTask {
                for await event in self.slices.subscribe() {
                    let slice = event.object
                    if let name = slice.metadata?.labels?[Self.serviceNameLabel] {
                        self.queue.add(ObjectKey(namespace: slice.metadata?.namespace, name: name))
                    }
                }
            }
            group.addTask {
                for await event in self.pods.subscribe() { self.handle(event) }
            }
            group.addTask {
                await self.services.waitForSync()
                await self.endpoints.waitForSync()
                await self.slices.waitForSync()
                await self.pods.waitForSync()
                await self.queue.runWorkers(self.workers, sync: { try await self.sync($0) },
                                            failed: { key, error in self.logger.debug("syncing endpoints of \(key): \(error)") })
            }
            await group.waitForAll()
        }
    }

    /// The Services selecting the pod before or after the change.
    private func handle(_ event: InformerEvent<Pod>) {
        var changed: [Pod] = []
        switch event {
        case .added(let pod), .deleted(let pod): changed = [pod]
        case .updated(let old, let new):
            guard old.metadata?.resourceVersion != new.metadata?.resourceVersion else { return }
            changed = old.metadata?.labels == new.metadata?.labels ? [new] : [old, new]
        }
        let namespace = changed.first?.metadata?.namespace
        let selecting = services.list { service in
            service.metadata?.namespace == namespace && changed.contains { ServiceEndpoints.selects(service, $0) }
        }
        for service in selecting { queue.add(ObjectKey(service)) }
    }
}
