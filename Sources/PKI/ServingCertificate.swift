import Foundation
import X509

/// Issuing and renewal policy of the API server's serving certificate.
enum ServingCertificate {
    /// Subject common name of the serving certificate. Clients match on the SANs, not on this.
    static let commonName = "skiff-apiserver"
    /// How long a newly issued serving certificate is valid: one year.
    static let validity: TimeInterval = 365 * 24 * 60 * 60
    /// A serving certificate expiring within this interval is replaced: 30 days.
    static let renewalWindow: TimeInterval = 30 * 24 * 60 * 60

    /// Issues a serving certificate for exactly `names` with extendedKeyUsage serverAuth.
    static func issue(for names: ServingNames, by authority: CertificateAuthority, now: Date,
                      commonName: String = commonName) throws -> CertifiedKey {
        let subject = try DistinguishedName { CommonName(commonName) }
        return try authority.issueLeaf(
            subject: subject,
            extendedKeyUsage: [.serverAuth],
            names: names.generalNames,
            issuedAt: now,
            validity: validity
        )
    }

    /// Whether an existing serving certificate may be kept: its key matches, `authority` signed
    /// it, it allows serverAuth, it covers every name in `names` (it may carry more), it is
    /// already valid at `now`, and it does not expire within `renewalWindow` of `now`.
    static func canReuse(
        _ pair: CertifiedKey,
        for names: ServingNames,
        authority: CertificateAuthority,
        now: Date
    ) -> Bool {
        let certificate = pair.certificate
        guard pair.keyMatchesCertificate, authority.signed(certificate), names.isCovered(by: certificate) else {
            return false
        }
        guard let usages = try? certificate.extensions.extendedKeyUsage, usages.contains(.serverAuth) else {
            return false
        }
        return certificate.notValidBefore <= now && certificate.notValidAfter > now + renewalWindow
    }
}
