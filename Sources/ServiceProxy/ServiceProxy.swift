import APIClient
import APIModel
import ControllerRuntime
import Logging
import PodNetwork
import Synchronization

/// The service proxy of a node: Services and EndpointSlices watched through the API, `ServiceProxyRules`
/// rendered from them and installed in the node's namespace whenever what they render changes.
///
/// Contract: the network guard (`NetworkGuard`, DESIGN.md §5) must be installed before `run()` — the proxy
/// adds rules only, and a Service whose rules are missing or stale then reaches nothing rather than the
/// outside. The first install replaces the table; later ones change only the Services that changed
/// (`ServiceProxyUpdate`). Changes arriving while rules are being installed are coalesced into the next install. `stop()`
/// (or the end of `run()`) leaves the rules in place; `remove()` deletes them.
public final class ServiceProxy: Sendable {
    let watch: ServiceEndpointsWatch
    let node: NodeNamespace
    let tableName: String
    let logger: Logger
    /// Told the time each install took, after it (benchmarks and tests).
    let onInstalled: @Sendable (_ rules: ServiceProxyRules, _ seconds: Double) -> Void

    public init(client: KubernetesClient, node: NodeNamespace, tableName: String = "skiff_proxy",
                logger: Logger = Logger(label: "skiff.proxy"),
                onInstalled: @escaping @Sendable (_ rules: ServiceProxyRules, _ seconds: Double) -> Void = { _, _ in }) {
        self.watch = ServiceEndpointsWatch(client: client, logger: logger)
        self.node = node
        self.tableName = tableName
        self.logger = logger
        self.onInstalled = onInstalled
    }

    public func run() async {
        // NodePorts on 127.0.0.1 need the kernel to route loopback-sourced packets elsewhere.
        do { try await node.run(["sysctl", "-q", "-w", "net.ipv4.conf.all.route_localnet=1"]) } catch {
            logger.warning("cannot allow node ports on 127.0.0.1: \(error)")
        }
        let installed = Mutex<ServiceProxyRules?>(nil)
        await watch.run { services, slices in
            let rules = ServiceProxyRules(services: ProxiedService.from(services: services, slices: slices),
                                          tableName: self.tableName)
            guard rules != installed.withLock({ $0 }) else { return }
            // Retried every second until installed; meanwhile the previous rules (or none, behind the guard) stay.
            while !Task.isCancelled {
                let started = ContinuousClock.now
                do {
                    let previous = installed.withLock { $0 }
                    try await self.install(rules, over: previous)
                    installed.withLock { $0 = rules }
                    await self.deleteStaleUDPFlows(from: previous?.services ?? [], to: rules.services)
                    let elapsed = ContinuousClock.now - started
                    self.onInstalled(rules, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                    return
                } catch {
                    self.logger.error("installing service rules: \(error)")
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    /// Installs `rules`: only what changed since `previous` when there is one (falling back to replacing the
    /// whole table if that transaction fails, e.g. because the table was changed behind our back), else the
    /// whole table.
    private func install(_ rules: ServiceProxyRules, over previous: ServiceProxyRules?) async throws {
        if let previous {
            let update = ServiceProxyUpdate(from: previous, to: rules).script()
            if update.isEmpty { return }
            do {
                try await node.run(["nft", "-f", "-"], input: update)
                return
            } catch {
                logger.warning("updating service rules in place failed, replacing the table: \(error)")
            }
        }
        try await node.run(["nft", "-f", "-"], input: rules.script())
    }

    /// Deletes the tracked UDP flows the new rules left stale (`StaleUDPFlows`) with `conntrack -D`. A failure
    /// is logged, not retried: the rules are right, and stale flows expire by themselves (30–180 s).
    private func deleteStaleUDPFlows(from previous: [ProxiedService], to current: [ProxiedService]) async {
        for deletion in StaleUDPFlows.deletions(from: previous, to: current) {
            do {
                try await node.run(["conntrack", "-D"] + deletion.arguments)
            } catch {
                // conntrack exits 1 when nothing matched.
                if case .command(_, let message) = error, message.contains("flow entries have been deleted") { continue }
                logger.warning("deleting stale UDP flows (conntrack -D \(deletion.arguments.joined(separator: " "))): \(error)")
            }
        }
    }

    /// Deletes the proxy's table from the node.
    public func remove() async throws {
        try await node.run(["nft", "-f", "-"], input: ServiceProxyRules(services: [], tableName: tableName).removalScript())
    }
}
