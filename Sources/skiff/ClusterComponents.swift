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
/// process): the scheduler, the node lifecycle, node IPAM, Deployment, ReplicaSet, ReplicationController, DaemonSet and StatefulSet controllers and, when asked for, simulated nodes. They share
/// one informer per resource; the scheduler and the controllers run only where their lease is held.
struct ClusterComponents: ServiceLifecycle.Service {
    let server: APIServer
    var simulatedNodes: Int
    var nodeMonitorGracePeriod: Duration
    /// This server's identity in leader election (see `ServerIdentity`).
    var identity: String
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
        let replicaSetInformer = Informer<ReplicaSet>(client: client, logger: logger)
        // Every server keeps the informers warm; only the holders of the two leases run the components, as
        // kube-scheduler and kube-controller-manager are elected in Kubernetes.
        let schedulerElection = LeaderElector(client: client, name: "kube-scheduler", identity: identity, logger: logger)
        let controllerElection = LeaderElector(client: client, name: "kube-controller-manager", identity: identity,
                                               logger: logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await nodes.run() }
            group.addTask { await pods.run() }
            group.addTask { await replicaSetInformer.run() }
            group.addTask {
                await schedulerElection.run {
                    // A new scheduler every term: its queue and cache start from the informers as they are now.
                    let scheduler = SchedulerService(client: server.inProcessClient(as: Self.schedulerUser,
                                                                                    component: "default-scheduler"),
                                                     pods: pods, nodes: nodes, logger: logger)
                    await scheduler.run()
                }
            }
            group.addTask {
                await controllerElection.run {
                    let lifecycle = NodeLifecycleController(client: client, nodes: nodes, pods: pods,
                                                            configuration: .init(gracePeriod: nodeMonitorGracePeriod),
                                                            logger: logger)
                    let replicaSets = ReplicaSetController(client: client, pods: pods, owners: replicaSetInformer, logger: logger)
                    let replicationControllers = ReplicationControllerController(client: client, pods: pods, logger: logger)
                    let deployments = DeploymentController(client: client, replicaSets: replicaSetInformer, pods: pods,
                                                           logger: logger)
                    let daemonSets = DaemonSetController(client: client, pods: pods, nodes: nodes, logger: logger)
                    let statefulSets = StatefulSetController(client: client, pods: pods, logger: logger)
                    let endpoints = EndpointsController(client: client, pods: pods, logger: logger)
                    let nodeIPAM = NodeIPAMController(client: client, nodes: nodes, logger: logger)
                    await withTaskGroup(of: Void.self) { controllers in
                        controllers.addTask { await deployments.run() }
                        controllers.addTask { await daemonSets.run() }
                        controllers.addTask { await statefulSets.run() }
                        controllers.addTask { await endpoints.run() }
                        controllers.addTask { await lifecycle.run() }
                        controllers.addTask { await nodeIPAM.run() }
                        controllers.addTask { await replicaSets.run() }
                        controllers.addTask { await replicationControllers.run() }
                    }
                }
            }
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
