import APIClient
import APIModel
import Foundation
import Hummingbird
import PKI

/// Skiff's endpoints for agents that join a server with the cluster token (as k3s's `/cacerts` and
/// `/v1-k3s/…`), under `/v1-skiff/`:
///
/// - `GET /v1-skiff/cacerts` (no credentials): the CA certificate with `JoinProof` of it under the token, so an
///   agent without the CA file can tell the real server from an impostor before it sends the token.
/// - `POST /v1-skiff/node-credentials` (a user in `system:nodes` or `system:masters`, e.g. the token's agent
///   user): a `NodeCredentialsRequest` → `NodeCredentials`: a client certificate `system:node:<name>` in
///   `system:nodes` and a serving certificate for the node's addresses, freshly issued by the cluster CA.
///
/// Both answer 404 when the server has no PKI or no join token; bad input is a 400 or 422 `Status`.
struct NodeJoinEndpoints: Sendable {
    let pki: ClusterPKI?
    let token: String?

    static let maxAddresses = 16

    func caOffer() throws -> Response {
        guard let pki, let token else { throw APIError.pathNotFound }
        let offer = ClusterCAOffer(caCertificate: pki.caCertificatePEM,
                                   proof: JoinProof.proof(caPEM: pki.caCertificatePEM, token: token))
        return APIResponse.json(try JSONEncoder().encode(offer))
    }

    func credentials(method: HTTPRequest.Method, body: Data, user: UserInfo) throws -> Response {
        guard let pki, token != nil else { throw APIError.pathNotFound }
        guard method == .post else { throw APIError.methodNotAllowed() }
        guard user.groups.contains("system:nodes") || user.groups.contains("system:masters") else {
            throw APIError.forbidden("User \"\(user.name)\" cannot create node credentials: only nodes can")
        }
        guard let request = try? JSONDecoder().decode(NodeCredentialsRequest.self, from: body) else {
            throw APIError.badRequest("the body must be a JSON object {\"nodeName\": string, \"addresses\": [string]}")
        }
        var errors: [FieldError] = NameValidation.isDNS1123Subdomain(request.nodeName)
            .map { .invalid("nodeName", request.nodeName, $0) }
        if request.addresses.count > Self.maxAddresses {
            errors.append(.forbidden("addresses", "must have at most \(Self.maxAddresses) items"))
        }
        for (index, address) in request.addresses.enumerated() where IPv4Address(address) == nil {
            errors.append(.invalid("addresses[\(index)]", address, "must be an IPv4 address"))
        }
        if !errors.isEmpty {
            let summary = errors.map(\.summary).joined(separator: ", ")
            throw APIError(code: 422, reason: "Invalid",
                           message: "NodeCredentialsRequest \"\(request.nodeName)\" is invalid: [\(summary)]",
                           details: StatusDetails(kind: "NodeCredentialsRequest", causes: errors.map(\.cause),
                                                  name: request.nodeName))
        }
        let client = try pki.issueClientCertificate(commonName: "system:node:\(request.nodeName)",
                                                    organizations: ["system:nodes"])
        let serving = try pki.issueNodeServingCertificate(hostname: request.nodeName, addresses: request.addresses)
        let credentials = NodeCredentials(clientCertificate: client.certificatePEM, clientKey: client.keyPEM,
                                          servingCertificate: serving.certificatePEM, servingKey: serving.keyPEM,
                                          caCertificate: pki.caCertificatePEM)
        return APIResponse.json(try JSONEncoder().encode(credentials))
    }
}
