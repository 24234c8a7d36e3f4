import Foundation

/// The cluster CA as `GET /v1-skiff/cacerts` hands it out (no credentials needed), with the server's proof
/// that it knows the cluster token (`JoinProof`).
public struct ClusterCAOffer: Codable, Sendable, Equatable {
    public var caCertificate: String
    public var proof: String

    public init(caCertificate: String, proof: String) {
        self.caCertificate = caCertificate
        self.proof = proof
    }
}

/// What an agent asks `POST /v1-skiff/node-credentials` for (authenticated with the cluster token).
public struct NodeCredentialsRequest: Codable, Sendable, Equatable {
    public var nodeName: String
    /// The node's addresses, for its serving certificate (the kubelet port's).
    public var addresses: [String]

    public init(nodeName: String, addresses: [String]) {
        self.nodeName = nodeName
        self.addresses = addresses
    }
}

/// A node's own credentials: a client certificate for `system:node:<name>` in `system:nodes`, and a serving
/// certificate for its streaming server, both signed by the cluster CA (PEM).
public struct NodeCredentials: Codable, Sendable, Equatable {
    public var clientCertificate: String
    public var clientKey: String
    public var servingCertificate: String
    public var servingKey: String
    public var caCertificate: String

    public init(clientCertificate: String, clientKey: String, servingCertificate: String, servingKey: String,
                caCertificate: String) {
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.servingCertificate = servingCertificate
        self.servingKey = servingKey
        self.caCertificate = caCertificate
    }
}

extension KubernetesClient {
    /// The paths of Skiff's join endpoints.
    public static let clusterCAPath = "/v1-skiff/cacerts"
    public static let nodeCredentialsPath = "/v1-skiff/node-credentials"

    /// `GET /v1-skiff/cacerts`.
    public func clusterCAOffer() async throws -> ClusterCAOffer {
        try JSONDecoder().decode(ClusterCAOffer.self, from: try await checked(method: "GET", path: Self.clusterCAPath))
    }

    /// `POST /v1-skiff/node-credentials`.
    public func nodeCredentials(_ request: NodeCredentialsRequest) async throws -> NodeCredentials {
        let body = try JSONEncoder().encode(request)
        return try JSONDecoder().decode(NodeCredentials.self,
                                        from: try await checked(method: "POST", path: Self.nodeCredentialsPath, body: body))
    }
}
