import APIServer
import ArgumentParser
import ContainerRuntime
import Foundation
import Logging
import NodeAgentService
import NodeStreaming
import PKI
import ServiceLifecycle
import Storage
import StorageEtcd
import StorageSQLite

/// `skiff server`: the API server with its embedded store, ready for kubectl.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Run the Skiff API server with the embedded SQLite store (or etcd) and this machine's node agent.")

    @Option(name: .customLong("data-dir"), help: "Folder for the database, certificates and kubeconfig (default /var/lib/skiff as root, ~/.skiff otherwise).")
    var dataDir: String?

    @Option(name: .customLong("https-listen-port"), help: "HTTPS port of the API (0 picks a free port).")
    var port: Int = 6443

    @Option(name: .customLong("bind-address"), help: "Address to listen on.")
    var bindAddress: String = "127.0.0.1"

    @Option(name: .customLong("write-kubeconfig"), help: "Also write the admin kubeconfig to this path.")
    var writeKubeconfig: String?

    @Option(name: .customLong("node-name"), help: "Name of this machine's node (default: the hostname).")
    var nodeName: String?

    @Option(name: .customLong("datastore"), help: "sqlite (durable, default) or memory (for tests: nothing is kept).")
    var datastore: String = "sqlite"

    @Option(name: .customLong("datastore-endpoint"), help: "Keep the cluster in etcd instead: etcd://host:2379[,host:2379…] (or http://…). Servers on one etcd share the cluster; start the others with the first one's --token.")
    var datastoreEndpoint: String?

    @Option(name: .customLong("token"), help: "The cluster token (default: <data-dir>/token, created at the first start). Servers sharing a datastore and joining agents use the same one.")
    var token: String?

    @Option(name: .customLong("event-ttl"), help: "Seconds an Event is kept after its last write.")
    var eventTTL: Int = 3600

    @OptionGroup var logging: LoggingOptions

    @Flag(name: .customLong("disable-agent"), help: "Run without the embedded node agent (no containers run on this machine).")
    var disableAgent = false

    @OptionGroup var agent: AgentOptions

    @Option(name: .customLong("simulated-nodes"), help: "Run this many simulated nodes in the server (named sim-node-<i>; pods on them run without containers).")
    var simulatedNodes: Int = 0

    @Option(name: .customLong("node-monitor-grace-period"), help: "Seconds without a heartbeat before a node is marked NotReady (Unknown).")
    var nodeMonitorGracePeriod: Int = 40

    func validate() throws {
        if let token, token.isEmpty || token.contains(where: { $0.isWhitespace }) {
            throw ValidationError("--token must be non-empty and contain no white space")
        }
        if let datastoreEndpoint {
            do { _ = try EtcdEndpoints(parsing: datastoreEndpoint) } catch { throw ValidationError("--datastore-endpoint: \(error)") }
        }
    }

    func run() async throws {
        logging.bootstrap()
        let logger = Logger(label: "skiff.server")
        // The embedded agent's preconditions first: a server that cannot run its agent does not start.
        var runtimeBinary: RuntimeBinary?
        let proxyMode = disableAgent ? ProxyMode.nftables : agent.resolveProxyMode()
        if !disableAgent {
            runtimeBinary = try AgentPreflight.check(
                disableHint: "; run the server as root, or pass --disable-agent to run it without its node agent",
                proxyMode: proxyMode)
        }
        let started = ContinuousClock.now
        let directory = URL(fileURLWithPath: dataDir ?? DataDirectory.defaultPath())
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)

        let hostname = nodeName ?? ProcessInfo.processInfo.hostName
        let store: any KeyValueStore
        if let datastoreEndpoint {
            store = try EtcdStore(endpoints: try EtcdEndpoints(parsing: datastoreEndpoint))
        } else {
            switch datastore {
            case "sqlite": store = try SQLiteStore(directory: directory.appendingPathComponent("db"))
            case "memory": store = InMemoryStore()
            default: throw ValidationError("unknown --datastore \(datastore): use sqlite or memory")
            }
        }
        let token = try ClusterToken.loadOrCreate(directory: directory, given: self.token)
        let tls = directory.appendingPathComponent("tls")
        let loadPKI = { try ClusterPKI.loadOrCreate(directory: tls, extraSANs: [bindAddress], hostname: hostname) }
        // Servers sharing etcd share the cluster's CA and admin credentials, kept there sealed with the token.
        let pki = datastoreEndpoint == nil ? try loadPKI()
            : try await SharedClusterCredentials.load(store: store, token: token, layout: PKIFileLayout(directory: tls),
                                                      loadPKI: loadPKI)

        let kubeconfigPaths = [directory.appendingPathComponent("kubeconfig.yaml")] + (writeKubeconfig.map { [URL(fileURLWithPath: $0)] } ?? [])
        let host = (bindAddress == "0.0.0.0" || bindAddress == "::") ? "127.0.0.1" : bindAddress
        var configuration = APIServerConfiguration(
            bindAddress: bindAddress, port: port, pki: pki,
            tokens: [token: UserInfo(name: ClusterToken.agentUser, groups: ClusterToken.agentGroups)])
        configuration.eventTTL = .seconds(max(eventTTL, 1))
        configuration.joinToken = token
        let server = APIServer(
            store: store,
            configuration: configuration,
            logger: Logger(label: "skiff.apiserver")) { boundPort in
                let url = host.contains(":") ? "https://[\(host)]:\(boundPort)" : "https://\(host):\(boundPort)"
                for path in kubeconfigPaths {
                    do { try pki.adminKubeconfig(server: url).write(to: path) } catch {
                        logger.error("cannot write kubeconfig \(path.path): \(error)")
                    }
                }
                let elapsed = ContinuousClock.now - started
                logger.notice("Skiff is serving on \(url) (started in \(elapsed)); kubeconfig: \(kubeconfigPaths[0].path)")
            }
        if simulatedNodes < 0 { throw ValidationError("--simulated-nodes must not be negative") }
        let components = ClusterComponents(server: server, simulatedNodes: simulatedNodes,
                                           nodeMonitorGracePeriod: .seconds(max(1, nodeMonitorGracePeriod)),
                                           identity: try ServerIdentity.loadOrCreate(directory: directory, hostname: hostname),
                                           logger: Logger(label: "skiff.components"))
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: server), .init(service: components)]
        if let runtimeBinary {
            let agentClient = server.inProcessClient(
                as: UserInfo(name: "system:node:\(hostname)", groups: ClusterToken.agentGroups), component: "kubelet")
            var agentConfiguration = agent.configuration(nodeName: hostname, dataDirectory: directory.path, proxyMode: proxyMode)
            agentConfiguration.leaseInterval = ClusterComponents.leaseInterval(grace: .seconds(max(1, nodeMonitorGracePeriod)))
            let nodeCertificate = try pki.issueNodeServingCertificate(hostname: hostname, addresses: [agentConfiguration.nodeIP])
            agentConfiguration.streaming = NodeStreamingConfiguration(servingCertificatePEM: nodeCertificate.certificatePEM,
                                                                      servingKeyPEM: nodeCertificate.keyPEM,
                                                                      caCertificatePEM: pki.caCertificatePEM)
            let nodeAgent = NodeAgentService(client: agentClient, configuration: agentConfiguration,
                                             runtime: runtimeBinary, logger: Logger(label: "skiff.agent"))
            services.append(.init(service: nodeAgent))
        }
        let group = ServiceGroup(configuration: .init(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        (store as? SQLiteStore)?.close()
        (store as? EtcdStore)?.close()
        logger.notice("Skiff stopped")
    }
}

/// Where Skiff keeps its state by default.
enum DataDirectory {
    static func defaultPath() -> String {
        if getuid() == 0 { return "/var/lib/skiff" }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".skiff").path
    }
}
