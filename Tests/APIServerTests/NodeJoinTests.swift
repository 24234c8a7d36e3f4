import APIClient
import APIModel
import Foundation
import PKI
import Testing
@testable import APIServer

/// `/v1-skiff/cacerts` and `/v1-skiff/node-credentials` on the real listener, the way `skiff agent` uses them.
@Suite("Node join endpoints", .serialized)
struct NodeJoinTests {
    @Test("The CA comes without credentials, with a proof that checks only under the cluster token")
    func caOffer() async throws {
        try await HTTPSServerTests.withServer { server in
            var config = KubeConfig(server: server.baseURL)
            config.insecureSkipTLSVerify = true
            let client = try KubernetesClient(config: config)
            let offer = try await client.clusterCAOffer()
            try await client.shutdown()
            #expect(offer.caCertificate == server.pki.caCertificatePEM)
            #expect(JoinProof.verify(offer.proof, caPEM: offer.caCertificate, token: HTTPSServerTests.token))
            #expect(!JoinProof.verify(offer.proof, caPEM: offer.caCertificate, token: "guess"))
            #expect(!JoinProof.verify(offer.proof, caPEM: offer.caCertificate + " ", token: HTTPSServerTests.token))
        }
    }

    @Test("With the token, a node gets a client certificate for system:node:<name> that the API accepts")
    func nodeCredentials() async throws {
        try await HTTPSServerTests.withServer { server in
            let joining = try KubernetesClient(config: KubeConfig(server: server.baseURL,
                                                                  certificateAuthorityPEM: server.pki.caCertificatePEM,
                                                                  token: HTTPSServerTests.token))
            let credentials = try await joining.nodeCredentials(NodeCredentialsRequest(nodeName: "n1",
                                                                                       addresses: ["192.0.2.4"]))
            try await joining.shutdown()
            let identity = try #require(server.pki.verifyClientCertificate(pem: credentials.clientCertificate))
            #expect(identity.userName == "system:node:n1")
            #expect(identity.groups == ["system:nodes"])
            #expect(credentials.caCertificate == server.pki.caCertificatePEM)

            let node = try KubernetesClient(config: KubeConfig(server: server.baseURL,
                                                               certificateAuthorityPEM: credentials.caCertificate,
                                                               clientCertificatePEM: credentials.clientCertificate,
                                                               clientKeyPEM: credentials.clientKey))
            _ = try await node.listItems(Node.self)
            try await node.shutdown()
        }
    }

    @Test("Bad requests: no credentials 401, wrong method 405, not JSON 400, bad name or address 422")
    func badRequests() async throws {
        try await HTTPSServerTests.withServer { server in
            let path = KubernetesClient.nodeCredentialsPath
            let good = Data(#"{"nodeName":"n1","addresses":[]}"#.utf8)
            #expect(try await server.request("POST", path, body: good, token: nil).0 == 401)
            #expect(try await server.request("GET", path).0 == 405)
            #expect(try await server.request("POST", path, body: Data("{".utf8)).0 == 400)
            let (status, _, body) = try await server.request("POST", path,
                                                             body: Data(#"{"nodeName":"Bad_Name","addresses":["x"]}"#.utf8))
            #expect(status == 422)
            let text = String(decoding: body, as: UTF8.self)
            #expect(text.contains("nodeName") && text.contains("addresses[0]"), "\(text)")
            #expect(try await server.request("GET", "/v1-skiff/other").0 == 404)
        }
    }
}
