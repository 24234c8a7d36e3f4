import Foundation
import X509

/// A certificate issued by the cluster CA and its private key, both as PEM text ending in a newline.
public struct IssuedCertificate: Sendable, Hashable {
    /// The PEM `CERTIFICATE` document.
    public let certificatePEM: String
    /// The PKCS#8 PEM `PRIVATE KEY` document (ECDSA P-256).
    public let keyPEM: String

    public init(certificatePEM: String, keyPEM: String) {
        self.certificatePEM = certificatePEM
        self.keyPEM = keyPEM
    }
}

/// Issuing and renewal policy of client certificates, the admin one included.
///
/// Following Kubernetes' x509 authentication, the subject common name is the user name and each
/// organization is a group.
enum ClientCertificate {
    /// Validity of the admin certificate and default validity of other client certificates: one year.
    static let defaultValidity: TimeInterval = 365 * 24 * 60 * 60
    /// The admin certificate is replaced when it expires within this interval: 30 days.
    static let renewalWindow: TimeInterval = 30 * 24 * 60 * 60
    /// The cluster administrator's identity; `system:masters` is bound to `cluster-admin`.
    static let admin = ClientIdentity(userName: "system:admin", groups: ["system:masters"])

    /// Issues a client certificate (extendedKeyUsage clientAuth, no SANs) for `identity`.
    /// - Throws: `PKIError.invalidCertificateRequest` if the user name is empty or `validity` is not positive.
    static func issue(
        for identity: ClientIdentity,
        validity: TimeInterval,
        issuedAt: Date,
        by authority: CertificateAuthority
    ) throws -> CertifiedKey {
        guard !identity.userName.isEmpty else {
            throw PKIError.invalidCertificateRequest(reason: "the common name is empty")
        }
        guard validity > 0 else {
            throw PKIError.invalidCertificateRequest(reason: "the validity \(validity) is not positive")
        }
        return try authority.issueLeaf(
            subject: try identity.distinguishedName(),
            extendedKeyUsage: [.clientAuth],
            names: [],
            issuedAt: issuedAt,
            validity: validity
        )
    }

    /// Whether an existing client certificate may be kept: it verifies against `authority` at
    /// `now` as exactly `identity`, its key matches, and it does not expire within `renewalWindow`.
    static func canReuse(
        _ pair: CertifiedKey,
        for identity: ClientIdentity,
        authority: CertificateAuthority,
        now: Date
    ) -> Bool {
        pair.keyMatchesCertificate
            && authority.clientIdentity(of: pair.certificate, at: now) == identity
            && pair.certificate.notValidAfter > now + renewalWindow
    }
}
