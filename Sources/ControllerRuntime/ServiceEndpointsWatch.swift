import APIClient
import APIModel
import Logging

/// Services and EndpointSlices watched together, for what a node derives from both (the service proxy's rules,
/// the cluster DNS's records): `run(onChange:)` calls `onChange` once both informers have synced and again
/// after changes, coalescing whatever arrives while it runs into one more call. Never two calls at once.
public final class ServiceEndpointsWatch: Sendable {
    public let services: Informer<Service>
    public let slices: Informer<EndpointSlice>

    public init(client: KubernetesClient, logger: Logger) {
        services = Informer<Service>(client: client, logger: logger)
        slices = Informer<EndpointSlice>(client: client, logger: logger)
    }

    /// Runs until cancelled.
    public func run(onChange: @escaping @Sendable (_ services: [Service], _ slices: [EndpointSlice]) async -> Void) async {
        let changes = WakeSignal()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.services.run() }
            group.addTask { await self.slices.run() }
            group.addTask { for await _ in self.services.subscribe() { changes.signal() } }
            group.addTask { for await _ in self.slices.subscribe() { changes.signal() } }
            group.addTask {
                await self.services.waitForSync()
                await self.slices.waitForSync()
                while !Task.isCancelled {
                    await onChange(self.services.list(), self.slices.list())
                    await changes.wait(until: nil)
                }
            }
            await group.waitForAll()
        }
    }
}
