import APIClient
import APIModel
import ControllerRuntime
import Logging
import PodNetwork

/// Routes this node's pods to the pods of the cluster's other nodes: follows every Node and the `kubernetes`
/// Endpoints and keeps `PeerRouting` equal to `PeerRoutes.plan` of them (a node joining, leaving, or changing
/// its address), with the other nodes and the API servers as the hosts pods may reach.
///
/// Contract: runs after the network guard is installed; applies only when the plan changed, retrying a failed
/// application on the next Node event or after `retryInterval`; runs until cancelled.
struct NodePeerRoutes: Sendable {
    let client: KubernetesClient
    let routing: PeerRouting
    let nodeName: String
    let nodeIP: String
    let clusterCIDR: IPv4CIDR
    let logger: Logger
    var retryInterval: Duration = .seconds(5)

    private struct Plan: Equatable {
        var routes: [PeerRoute]
        var hosts: [IPv4Address]
    }

    func run() async {
        let nodes = Informer<Node>(client: client, logger: logger)
        let apiServers = Informer<Endpoints>(client: client, namespace: "default", fieldSelector: "metadata.name=kubernetes",
                                             logger: logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await nodes.run() }
            group.addTask { await apiServers.run() }
            group.addTask {
                // A tick on every Node event and every retry interval; each tick re-plans from the cache.
                let (ticks, tick) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
                let feeding = Task {
                    for await _ in nodes.subscribe() { tick.yield() }
                }
                let feedingServers = Task {
                    for await _ in apiServers.subscribe() { tick.yield() }
                }
                let timer = Task {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: retryInterval)
                        tick.yield()
                    }
                }
                defer { feeding.cancel(); feedingServers.cancel(); timer.cancel() }
                await nodes.waitForSync()
                var applied: Plan?
                for await _ in ticks {
                    let servers = apiServers.list().flatMap { $0.subsets ?? [] }.flatMap { $0.addresses ?? [] }.compactMap(\.ip)
                    let plan = Plan(
                        routes: PeerRoutes.plan(nodes: nodes.list(), selfName: nodeName, selfIP: nodeIP,
                                                clusterCIDR: clusterCIDR),
                        hosts: PeerRoutes.hosts(nodes: nodes.list(), selfName: nodeName, selfIP: nodeIP,
                                                apiServers: servers, clusterCIDR: clusterCIDR))
                    if plan == applied { continue }
                    do {
                        try await routing.apply(plan.routes, hosts: plan.hosts)
                        applied = plan
                        logger.info("routes to other nodes' pods: \(plan.routes.map { "\($0.podCIDR) via \($0.via)" }); cluster hosts: \(plan.hosts)")
                    } catch {
                        applied = nil
                        logger.warning("routing other nodes' pods: \(error)")
                    }
                }
            }
            await group.next()
            group.cancelAll()
        }
    }
}
