import Foundation
import NIOCore
import NIOSSL
import PKI
import Synchronization

/// Who is making a request.
public struct UserInfo: Sendable, Hashable {
    public var name: String
    public var groups: [String]

    public init(name: String, groups: [String]) {
        self.name = name
        self.groups = groups
    }

    public static let anonymous = UserInfo(name: "system:anonymous", groups: ["system:unauthenticated"])
}

/// Authenticates requests by TLS client certificate (signed by the cluster CA) or bearer token.
///
/// The TLS layer only accepts client certificates that chain to the cluster CA (it may accept connections
/// without one); this checks the certificate again and maps it to a user (CN) and groups (O).
public final class Authenticator: Sendable {
    let pki: ClusterPKI?
    /// Bearer tokens and the users they stand for.
    let tokens: [String: UserInfo]
    /// Certificates already verified (by their DER bytes) and when, so each connection's requests skip the
    /// signature check. Entries are re-verified after `verifiedLifetime` (expiry is checked then); the cache
    /// is cleared when it grows past `verifiedLimit`.
    private let verified = Mutex<[[UInt8]: (user: UserInfo, at: ContinuousClock.Instant)]>([:])
    private static let verifiedLimit = 1024
    private static let verifiedLifetime: Duration = .seconds(60)

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
        guard let der = try? certificate.toDERBytes() else { return nil }
        let now = ContinuousClock.now
        if let known = verified.withLock({ $0[der] }), now - known.at < Self.verifiedLifetime { return known.user }
        guard let identity = pki.verifyClientCertificate(derBytes: der) else { return nil }
        let user = UserInfo(name: identity.userName, groups: identity.groups + ["system:authenticated"])
        verified.withLock { cache in
            if cache.count >= Self.verifiedLimit { cache.removeAll() }
            cache[der] = (user, now)
        }
        return user
    }
}
