import APIClient
import ArgumentParser
import ContainerRuntime
import Foundation
import Logging
import NodeAgentService
import NodeStreaming
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

    @Option(name: .customLong("ca-file"), help: "The cluster CA certificate (default: fetched from the server, trusted only when the server proves it knows the token).")
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
        let proxyMode = agent.resolveProxyMode()
        let binary = try AgentPreflight.check(proxyMode: proxyMode)
        let directory = dataDir ?? DataDirectory.defaultPath()
        let name = nodeName ?? ProcessInfo.processInfo.hostName
        var configuration = agent.configuration(nodeName: name, dataDirectory: directory, proxyMode: proxyMode)
        let ca = try await AgentJoin.clusterCA(server: server, token: token, caFile: caFile)
        let credentials = try await AgentJoin.credentials(server: server, ca: ca, token: token, nodeName: name,
                                                          addresses: [configuration.nodeIP])
        configuration.streaming = NodeStreamingConfiguration(servingCertificatePEM: credentials.servingCertificate,
                                                             servingKeyPEM: credentials.servingKey,
                                                             caCertificatePEM: ca)
        var options = KubernetesClient.Options(maxConnections: 8)
        options.userAgent = "kubelet/\(NodeObject.kubeletVersion) (skiff)"
        let client = try KubernetesClient(config: KubeConfig(server: server, certificateAuthorityPEM: ca,
                                                             clientCertificatePEM: credentials.clientCertificate,
                                                             clientKeyPEM: credentials.clientKey),
                                          options: options)
        let service = NodeAgentService(client: client, configuration: configuration, runtime: binary, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        try await client.shutdown()
    }
}
