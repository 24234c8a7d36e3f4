import APIModel
import AsyncHTTPClient
import Foundation
import NIOSSL
import PKI

/// Where a node's streaming server (the kubelet's port) listens.
public struct NodeEndpoint: Sendable, Hashable {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `https://host:port` (IPv6 literals bracketed).
    public var baseURL: String { "https://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// As Kubernetes' default: the node's first InternalIP (else its first address) and
    /// `status.daemonEndpoints.kubeletEndpoint.Port` (10250 when unset); nil for a node with no address.
    public static func fromStatus(_ node: Node) -> NodeEndpoint? {
        let addresses = node.status?.addresses ?? []
        guard let address = (addresses.first { $0.type == "InternalIP" } ?? addresses.first)?.address,
              !address.isEmpty else { return nil }
        let port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0
        return NodeEndpoint(host: address, port: port > 0 ? Int(port) : 10250)
    }
}

/// How the API server reaches nodes for `pods/log` and `pods/exec`: where a node listens, and TLS with the
/// API server's client certificate (`skiff:apiserver-kubelet-client`, group `system:masters`), trusting only
/// the cluster CA. Tests and simulations replace `locate` to point nodes at a server on loopback.
public struct NodeConnection: Sendable {
    /// The client certificate's user.
    public static let clientUser = "skiff:apiserver-kubelet-client"

    public var locate: @Sendable (Node) -> NodeEndpoint?
    public let tls: TLSConfiguration

    public init(tls: TLSConfiguration, locate: @escaping @Sendable (Node) -> NodeEndpoint? = NodeEndpoint.fromStatus) {
        self.tls = tls
        self.locate = locate
    }

    /// TLS for `pki`: a client certificate issued now for `clientUser`, the cluster CA as the only root.
    /// Nodes' serving certificates are verified against the CA but not against their address (a node's
    /// address may change under its certificate).
    public static func tls(for pki: ClusterPKI) throws -> TLSConfiguration {
        let issued = try pki.issueClientCertificate(commonName: clientUser, organizations: ["system:masters"])
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(pki.caCertificatePEM.utf8), format: .pem)])
        tls.certificateChain = [.certificate(try NIOSSLCertificate(bytes: Array(issued.certificatePEM.utf8), format: .pem))]
        tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(issued.keyPEM.utf8), format: .pem))
        tls.certificateVerification = .noHostnameVerification
        return tls
    }
}
