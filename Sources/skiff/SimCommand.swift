import APIClient
import APIModel
import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import SimulatedNodes

/// `skiff sim`: simulated nodes in a process of their own, joining a running server through its HTTPS API
/// (like KWOK). Stopping it stops their heartbeats: the nodes go NotReady and their pods are evicted.
struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Run simulated nodes against a Skiff (or Kubernetes) API server.")

    @Option(name: .customLong("kubeconfig"), help: "Kubeconfig to reach the server (default: <data dir>/kubeconfig.yaml).")
    var kubeconfig: String?

    @Option(name: .customLong("server"), help: "Server URL, overriding the kubeconfig's.")
    var server: String?

    @Option(name: .customLong("token"), help: "Bearer token, overriding the kubeconfig's credentials.")
    var token: String?

    @Option(name: .customLong("nodes"), help: "How many nodes to simulate.")
    var nodes: Int = 1

    @Option(name: .customLong("name-prefix"), help: "Node names are <prefix><index>.")
    var namePrefix: String = "sim-node-"

    @Option(name: .customLong("first-index"), help: "Index of the first node (to run several simulators side by side).")
    var firstIndex: Int = 0

    @Option(name: .customLong("cpu"), help: "CPU capacity of each node.")
    var cpu: String = "32"

    @Option(name: .customLong("memory"), help: "Memory capacity of each node.")
    var memory: String = "256Gi"

    @Option(name: .customLong("max-pods"), help: "Pod capacity of each node.")
    var maxPods: Int = 110

    @Option(name: .customLong("node-labels"), help: "Labels for every node, as key=value,key=value.")
    var nodeLabels: String = ""

    @Option(name: .customLong("lease-interval"), help: "Seconds between lease renewals (the kubelet's 10; keep it well under the server's node monitor grace period).")
    var leaseInterval: Double = 10

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        guard nodes > 0 else { throw ValidationError("--nodes must be at least 1") }
        logging.bootstrap()
        let logger = Logger(label: "skiff.sim")
        let path = kubeconfig ?? URL(fileURLWithPath: DataDirectory.defaultPath()).appendingPathComponent("kubeconfig.yaml").path
        var config = try KubeConfig.load(contentsOf: URL(fileURLWithPath: path))
        if let server { config.server = server }
        if let token {
            config.token = token
            config.clientCertificatePEM = nil
            config.clientKeyPEM = nil
        }
        var options = KubernetesClient.Options(maxConnections: 32)
        options.userAgent = "skiff-sim/\(Skiff.version)"
        let client = try KubernetesClient(config: config, options: options)
        guard leaseInterval > 0 else { throw ValidationError("--lease-interval must be positive") }
        guard let cpuQuantity = Quantity(cpu), let memoryQuantity = Quantity(memory), maxPods > 0 else {
            throw ValidationError("--cpu and --memory must be quantities (e.g. 8, 500m, 16Gi) and --max-pods positive")
        }
        var labels: [String: String] = [:]
        for pair in nodeLabels.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("--node-labels: \(pair) is not key=value") }
            labels[parts[0]] = parts[1]
        }
        let shape = SimulatedNodeShape(cpu: cpuQuantity, memory: memoryQuantity, pods: maxPods, labels: labels)
        let simulator = NodeSimulator(client: client, configuration: .init(count: nodes, namePrefix: namePrefix,
                                                                           firstIndex: firstIndex, shape: shape,
                                                                           leaseInterval: .milliseconds(Int64(leaseInterval * 1000))),
                                      logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: SimulatorService(simulator: simulator))],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        try await client.shutdown()
    }
}

/// The simulator as a service that ends on graceful shutdown.
private struct SimulatorService: ServiceLifecycle.Service {
    let simulator: NodeSimulator

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await simulator.run() }
            group.addTask { try? await gracefulShutdown() }
            await group.next()
            group.cancelAll()
        }
    }
}
