import APIClient
import APIModel
import APIServer
import ControllerRuntime
import Controllers
import Logging
import ServiceLifecycle
import Scheduling
import SimulatedNodes

/// The components that run next to the API server in `skiff server` and meet it only through its API (in
/// process): the scheduler, the node lifecycle, Deployment, ReplicaSet, ReplicationController, DaemonSet and StatefulSet controllers and, when asked for, simulated nodes. They share
/// one informer per resource.
struct ClusterComponents: ServiceLifecycle.Service {
    let server: APIServer
    var simulatedNodes: Int
    var nodeMonitorGracePeriod: Duration
    let logger: Logger

    private static let schedulerUser = UserInfo(name: "system:kube-scheduler", groups: ["system:masters"])
    private static let controllerManager = UserInfo(name: "system:kube-controller-manager", groups: ["system:masters"])
    private static let simulator = UserInfo(name: "system:node-simulator", groups: ["system:nodes", "system:masters"])

    /// How often nodes renew their leases: the kubelet's 10 s, or a quarter of a shorter grace period.
    static func leaseInterval(grace: Duration) -> Duration {
        min(.seconds(10), grace / 4)
    }

    func run() async throws {
        // The API (and its default namespaces) first.
        try await server.cache.waitUntilFresh()
        let client = server.inProcessClient(as: Self.controllerManager, component: "kube-controller-manager")
        let nodes = Informer<Node>(client: client, logger: logger)
        let pods = Informer<Pod>(client: client, logger: logger)
        let lifecycle = NodeLifecycleController(client: client, nodes: nodes, pods: pods,
                                                configuration: .init(gracePeriod: nodeMonitorGracePeriod), logger: logger)
        let scheduler = SchedulerService(client: server.inProcessClient(as: Self.schedulerUser, component: "default-scheduler"),
                                         pods: pods, nodes: nodes, logger: logger)
        let replicaSetInformer = Informer<ReplicaSet>(client: client, logger: logger)
        let replicaSets = ReplicaSetController(client: client, pods: pods, owners: replicaSetInformer, logger: logger)
        let replicationControllers = ReplicationControllerController(client: client, pods: pods, logger: logger)
        let deployments = DeploymentController(client: client, replicaSets: replicaSetInformer, pods: pods, logger: logger)
        let daemonSets = DaemonSetController(client: client, pods: pods, nodes: nodes, logger: logger)
        let statefulSets = StatefulSetController(client: client, pods: pods, logger: logger)
        let endpoints = EndpointsController(client: client, pods: pods, logger: logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await nodes.run() }
            group.addTask { await pods.run() }
            group.addTask { await replicaSetInformer.run() }
            group.addTask { await deployments.run() }
            group.addTask { await daemonSets.run() }
            group.addTask { await statefulSets.run() }
            group.addTask { await endpoints.run() }
            group.addTask { await scheduler.run() }
            group.addTask { await lifecycle.run() }
            group.addTask { await replicaSets.run() }
            group.addTask { await replicationControllers.run() }
            if simulatedNodes > 0 {
                let simulator = NodeSimulator(client: server.inProcessClient(as: Self.simulator, component: "skiff-sim"),
                                              configuration: .init(count: simulatedNodes,
                                                                   leaseInterval: Self.leaseInterval(grace: nodeMonitorGracePeriod)),
                                              pods: pods, logger: logger)
                group.addTask {
                    do { try await simulator.run() } catch { logger.error("simulated nodes stopped: \(error)") }
                }
            }
            group.addTask { try? await gracefulShutdown() }
            // Graceful shutdown (or cancellation) ends the first task; then stop the rest.
            await group.next()
            group.cancelAll()
        }
    }
}
