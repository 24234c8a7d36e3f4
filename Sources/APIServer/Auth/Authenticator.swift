import Foundation
import NIOCore
import NIOSSL
import PKI

/// Who is making a request.
public struct UserInfo: Sendable, Hashable {
    public var name: String
    public var groups: [String]

    public static let anonymous = UserInfo(name: "system:anonymous", groups: ["system:unauthenticated"])
}

/// Authenticates requests by TLS client certificate (signed by the cluster CA) or bearer token.
///
/// The TLS layer only accepts client certificates that chain to the cluster CA (it may accept connections
/// without one); this checks the certificate again and maps it to a user (CN) and groups (O).
public struct Authenticator: Sendable {
    let pki: ClusterPKI?
    /// Bearer tokens and the users they stand for.
    let tokens: [String: UserInfo]

    public init(pki: ClusterPKI?, tokens: [String: UserInfo]) {
        self.pki = pki
        self.tokens = tokens
    }

    /// The user of a request, or nil when it carries no valid credentials.
    public func authenticate(channel: any Channel, authorization: String?) async -> UserInfo? {
        if let authorization, authorization.hasPrefix("Bearer ") {
            let token = String(authorization.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
            return tokens[token]
        }
        guard let pki else { return nil }
        guard let certificate = try? await channel.nioSSL_peerCertificate().get() else { return nil }
        guard let der = try? certificate.toDERBytes(), let identity = pki.verifyClientCertificate(derBytes: der) else {
            return nil
        }
        return UserInfo(name: identity.userName, groups: identity.groups + ["system:authenticated"])
    }
}
