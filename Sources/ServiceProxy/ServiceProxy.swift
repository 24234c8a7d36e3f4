import APIClient
import APIModel
import ControllerRuntime
import Logging
import PodNetwork

/// The service proxy of a node: Services and EndpointSlices watched through the API, `ServiceProxyRules`
/// rendered from them and installed in the node's namespace whenever what they render changes.
///
/// Contract: the network guard (`NetworkGuard`, DESIGN.md §5) must be installed before `run()` — the proxy
/// adds rules only, and a Service whose rules are missing or stale then reaches nothing rather than the
/// outside. Changes arriving while rules are being installed are coalesced into the next install. `stop()`
/// (or the end of `run()`) leaves the rules in place; `remove()` deletes them.
public final class ServiceProxy: Sendable {
    let services: Informer<Service>
    let slices: Informer<EndpointSlice>
    let node: NodeNamespace
    let tableName: String
    let logger: Logger
    /// Told the time each install took, after it (benchmarks and tests).
    let onInstalled: @Sendable (_ rules: ServiceProxyRules, _ seconds: Double) -> Void

    public init(client: KubernetesClient, node: NodeNamespace, tableName: String = "skiff_proxy",
                logger: Logger = Logger(label: "skiff.proxy"),
                onInstalled: @escaping @Sendable (_ rules: ServiceProxyRules, _ seconds: Double) -> Void = { _, _ in }) {
        self.services = Informer<Service>(client: client, logger: logger)
        self.slices = Informer<EndpointSlice>(client: client, logger: logger)
        self.node = node
        self.tableName = tableName
        self.logger = logger
        self.onInstalled = onInstalled
    }

    public func run() async {
        let changes = WakeSignal()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.services.run() }
            group.addTask { await self.slices.run() }
            group.addTask { for await _ in self.services.subscribe() { changes.signal() } }
            group.addTask { for await _ in self.slices.subscribe() { changes.signal() } }
            group.addTask {
                await self.services.waitForSync()
                await self.slices.waitForSync()
                // NodePorts on 127.0.0.1 need the kernel to route loopback-sourced packets elsewhere.
                do { try await self.node.run(["sysctl", "-q", "-w", "net.ipv4.conf.all.route_localnet=1"]) } catch {
                    self.logger.warning("cannot allow node ports on 127.0.0.1: \(error)")
                }
                var installed: ServiceProxyRules?
                while !Task.isCancelled {
                    let rules = ServiceProxyRules(services: ProxiedService.from(services: self.services.list(),
                                                                                slices: self.slices.list()),
                                                  tableName: self.tableName)
                    if rules != installed {
                        let started = ContinuousClock.now
                        do {
                            try await self.node.run(["nft", "-f", "-"], input: rules.script())
                            installed = rules
                            let elapsed = ContinuousClock.now - started
                            self.onInstalled(rules, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                        } catch {
                            self.logger.error("installing service rules: \(error)")
                            try? await Task.sleep(for: .seconds(1))
                            changes.signal()
                        }
                    }
                    await changes.wait(until: nil)
                }
            }
            await group.waitForAll()
        }
    }

    /// Deletes the proxy's table from the node.
    public func remove() async throws {
        try await node.run(["nft", "-f", "-"], input: ServiceProxyRules(services: [], tableName: tableName).removalScript())
    }
}
