import APIClient
import Foundation
import NodeAgentService
import PKI

/// How `skiff agent --server URL --token T` joins a cluster:
/// 1. the cluster CA: the `--ca-file` given, or else fetched from the server without credentials and trusted
///    only if the server proves it knows the token (`JoinProof`) — the token is sent to no one before that;
/// 2. the node's own credentials (`POST /v1-skiff/node-credentials` with the token, over TLS checked against
///    that CA): a client certificate for `system:node:<name>`, which the agent then uses for every request,
///    and a serving certificate for its streaming server (`kubectl logs`, `exec`).
enum AgentJoin {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func clusterCA(server: String, token: String, caFile: String?) async throws -> String {
        if let caFile {
            guard let ca = try? String(contentsOfFile: caFile, encoding: .utf8) else {
                throw Failure(description: "cannot read the CA certificate at \(caFile)")
            }
            return ca
        }
        var config = KubeConfig(server: server)
        config.insecureSkipTLSVerify = true
        let client = try KubernetesClient(config: config, options: .init(maxConnections: 1))
        let offer: ClusterCAOffer
        do {
            offer = try await client.clusterCAOffer()
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw Failure(description: "cannot fetch the cluster CA from \(server): \(error)")
        }
        guard JoinProof.verify(offer.proof, caPEM: offer.caCertificate, token: token) else {
            throw Failure(description: "the server at \(server) does not prove that it knows the token: refusing to "
                + "trust it (wrong --token, or not the cluster's server)")
        }
        return offer.caCertificate
    }

    static func credentials(server: String, ca: String, token: String, nodeName: String,
                            addresses: [String]) async throws -> NodeCredentials {
        let client = try KubernetesClient(config: KubeConfig(server: server, certificateAuthorityPEM: ca, token: token),
                                          options: .init(maxConnections: 1))
        defer { Task { try? await client.shutdown() } }
        do {
            return try await client.nodeCredentials(NodeCredentialsRequest(nodeName: nodeName, addresses: addresses))
        } catch {
            throw Failure(description: "the server refused credentials for node \(nodeName): \(error)")
        }
    }
}
