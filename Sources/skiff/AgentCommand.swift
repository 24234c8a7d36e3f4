import APIClient
import ArgumentParser
import ContainerRuntime
import Foundation
import Logging
import NodeAgentService
import ServiceLifecycle

/// `skiff agent --server URL --token T`: a node joining a server, running its pods with real containers.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run a node agent that joins a Skiff server (needs root and runc or crun).")

    @Option(name: .customLong("server"), help: "The API server's URL, e.g. https://10.0.0.1:6443.")
    var server: String

    @Option(name: .customLong("token"), help: "The cluster token (the server's <data-dir>/token).")
    var token: String

    @Option(name: .customLong("ca-file"), help: "The server's CA certificate (default: <data-dir>/tls/ca.crt).")
    var caFile: String?

    @Option(name: .customLong("data-dir"), help: "Folder for images and the agent's state (default /var/lib/skiff).")
    var dataDir: String?

    @Option(name: .customLong("node-name"), help: "Name of this machine's node (default: the hostname).")
    var nodeName: String?

    @OptionGroup var agent: AgentOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        logging.bootstrap()
        let logger = Logger(label: "skiff.agent")
        let binary = try AgentPreflight.check()
        let directory = dataDir ?? DataDirectory.defaultPath()
        let caPath = caFile ?? directory + "/tls/ca.crt"
        guard let ca = try? String(contentsOfFile: caPath, encoding: .utf8) else {
            throw AgentPreflight.Failure(
                description: "cannot read the server's CA certificate at \(caPath): pass --ca-file (the server's <data-dir>/tls/ca.crt)")
        }
        var options = KubernetesClient.Options(maxConnections: 8)
        options.userAgent = "kubelet/\(NodeObject.kubeletVersion) (skiff)"
        let client = try KubernetesClient(config: KubeConfig(server: server, certificateAuthorityPEM: ca, token: token),
                                          options: options)
        let name = nodeName ?? ProcessInfo.processInfo.hostName
        let service = NodeAgentService(client: client, configuration: agent.configuration(nodeName: name, dataDirectory: directory),
                                       runtime: binary, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        try await client.shutdown()
    }
}
