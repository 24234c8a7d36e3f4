import Foundation
import SwiftASN1
import X509

/// The cluster's certificates: the CA, the API server's serving certificate and the
/// `system:admin` client certificate, kept as PEM files in one directory (see `PKIFileLayout`).
///
/// A value is immutable and safe to share; it holds the CA private key so that it can issue
/// further client certificates. Two processes must not call `loadOrCreate` on the same
/// directory at the same time.
public struct ClusterPKI: Sendable {
    /// The files this PKI was loaded from or written to.
    public let files: PKIFileLayout
    /// The cluster CA certificate (PEM). The only root the API server and its clients trust.
    public let caCertificatePEM: String
    /// The API server's serving certificate (PEM), signed by the CA.
    public let servingCertificatePEM: String
    /// The private key of the serving certificate (PKCS#8 PEM).
    public let servingKeyPEM: String
    /// The `system:admin` / `system:masters` client certificate (PEM), signed by the CA.
    public let adminCertificatePEM: String
    /// The private key of the admin client certificate (PKCS#8 PEM).
    public let adminKeyPEM: String
    /// The DNS names and IP addresses the serving certificate is valid for, as text.
    public let servingSubjectAlternativeNames: [String]

    private let authority: CertificateAuthority

    /// Loads the PKI in `directory`, creating or renewing what is missing or unfit, and writes
    /// back whatever it created.
    ///
    /// - The CA is generated only when `ca.crt` is absent; an existing CA is always reused. If
    ///   the CA is generated, the serving and admin certificates are issued anew as well.
    /// - The serving certificate is reused when it covers the default names, `hostname` and
    ///   `extraSANs` (see `ServingNames`), is signed by the CA, and does not expire within 30
    ///   days; otherwise a new one valid for one year is issued for exactly the requested names.
    /// - The admin certificate is reused under the same signature and 30-day rule.
    ///
    /// Keys are written with mode 0600 and certificates with mode 0644, each atomically (temporary
    /// file, then rename). `directory` and its parents are created with mode 0700 if missing.
    ///
    /// - Parameters:
    ///   - extraSANs: further DNS names or IP literals for the serving certificate, e.g. the bind
    ///     or advertise address. Empty strings and `0.0.0.0` / `::` are ignored.
    ///   - hostname: this machine's host name, added to the serving certificate (a DNS name or IP).
    ///   - now: the current time; a parameter for tests.
    /// - Throws: `PKIError.missingCAKey` when `ca.crt` exists without `ca.key`;
    ///   `PKIError.unreadablePEM` or `.invalidCertificateAuthority` for a damaged CA;
    ///   `PKIError.invalidSubjectAlternativeName` for a bad name; `.fileSystem` for I/O failures.
    ///   An unreadable serving or admin certificate is not an error: it is replaced.
    public static func loadOrCreate(
        directory: URL,
        extraSANs: [String] = [],
        hostname: String,
        now: Date = Date()
    ) throws -> ClusterPKI {
        let files = PKIFileLayout(directory: directory)
        let names = try ServingNames(hostname: hostname, extraSANs: extraSANs)
        try AtomicFileWriter.createDirectory(directory, mode: 0o700)

        let (authority, authorityIsNew) = try loadOrCreateAuthority(files: files, now: now)

        let serving = try reuseOrIssue(
            certificate: files.servingCertificate,
            key: files.servingKey,
            mayReuse: !authorityIsNew,
            canReuse: { ServingCertificate.canReuse($0, for: names, authority: authority, now: now) },
            issue: { try ServingCertificate.issue(for: names, by: authority, now: now) }
        )
        let admin = try reuseOrIssue(
            certificate: files.adminCertificate,
            key: files.adminKey,
            mayReuse: !authorityIsNew,
            canReuse: { ClientCertificate.canReuse($0, for: ClientCertificate.admin, authority: authority, now: now) },
            issue: {
                try ClientCertificate.issue(
                    for: ClientCertificate.admin,
                    validity: ClientCertificate.defaultValidity,
                    issuedAt: now,
                    by: authority
                )
            }
        )

        return ClusterPKI(
            files: files,
            caCertificatePEM: try PEMFiles.pem(authority.certificate),
            servingCertificatePEM: try serving.certificatePEM(),
            servingKeyPEM: try serving.keyPEM(),
            adminCertificatePEM: try admin.certificatePEM(),
            adminKeyPEM: try admin.keyPEM(),
            servingSubjectAlternativeNames: ServingNames.names(in: serving.certificate)?.descriptions ?? [],
            authority: authority
        )
    }

    /// Issues a new client certificate signed by the cluster CA for user `commonName` in groups
    /// `organizations`, with extendedKeyUsage clientAuth and a fresh ECDSA P-256 key. Nothing is
    /// written to disk.
    ///
    /// The certificate is valid from `issuedAt` minus five minutes (clock skew allowance) until
    /// `issuedAt + validity`.
    /// - Throws: `PKIError.invalidCertificateRequest` if `commonName` is empty or `validity` is not positive.
    public func issueClientCertificate(
        commonName: String,
        organizations: [String] = [],
        validity: TimeInterval = 365 * 24 * 60 * 60,
        issuedAt: Date = Date()
    ) throws -> IssuedCertificate {
        let pair = try ClientCertificate.issue(
            for: ClientIdentity(userName: commonName, groups: organizations),
            validity: validity,
            issuedAt: issuedAt,
            by: authority
        )
        return IssuedCertificate(certificatePEM: try pair.certificatePEM(), keyPEM: try pair.keyPEM())
    }

    /// Issues a serving certificate signed by the cluster CA for a node's streaming server (the kubelet's
    /// port), valid one year for `hostname` (the node's name) and `addresses` (its IPs or DNS names) besides
    /// the loopback defaults, with subject `system:node:<hostname>`. Nothing is written to disk.
    /// - Throws: `PKIError.invalidSubjectAlternativeName` for a bad name.
    public func issueNodeServingCertificate(hostname: String, addresses: [String] = [],
                                            issuedAt: Date = Date()) throws -> IssuedCertificate {
        let names = try ServingNames(hostname: hostname, extraSANs: addresses)
        let pair = try ServingCertificate.issue(for: names, by: authority, now: issuedAt,
                                                commonName: "system:node:\(hostname)")
        return IssuedCertificate(certificatePEM: try pair.certificatePEM(), keyPEM: try pair.keyPEM())
    }

    /// The identity a DER-encoded client certificate authenticates, or nil if it is not a valid
    /// client certificate of this cluster at `time`: not signed by the cluster CA, outside its
    /// validity window, a CA certificate, without clientAuth usage, or without a common name.
    ///
    /// Only the leaf is checked; this CA issues client certificates directly, without intermediates.
    public func verifyClientCertificate(derBytes: [UInt8], at time: Date = Date()) -> ClientIdentity? {
        guard let certificate = try? Certificate(derEncoded: derBytes) else { return nil }
        return authority.clientIdentity(of: certificate, at: time)
    }

    /// `verifyClientCertificate(derBytes:at:)` for a single PEM `CERTIFICATE` document.
    public func verifyClientCertificate(pem: String, at time: Date = Date()) -> ClientIdentity? {
        guard let certificate = try? Certificate(pemEncoded: pem) else { return nil }
        return authority.clientIdentity(of: certificate, at: time)
    }

    /// A kubeconfig that reaches `server` as `system:admin`, trusting only the cluster CA.
    public func adminKubeconfig(server: String = Kubeconfig.defaultServer) -> Kubeconfig {
        Kubeconfig(
            server: server,
            certificateAuthorityPEM: caCertificatePEM,
            clientCertificatePEM: adminCertificatePEM,
            clientKeyPEM: adminKeyPEM
        )
    }

    // MARK: - Loading

    /// Loads the CA, or generates and writes one when `ca.crt` is absent. Returns whether it is new.
    private static func loadOrCreateAuthority(
        files: PKIFileLayout,
        now: Date
    ) throws -> (CertificateAuthority, isNew: Bool) {
        if PEMFiles.exists(files.caCertificate) {
            guard PEMFiles.exists(files.caKey) else {
                throw PKIError.missingCAKey(path: files.caKey.path)
            }
            let authority = try CertificateAuthority(
                certificate: PEMFiles.readCertificate(at: files.caCertificate),
                privateKey: PEMFiles.readPrivateKey(at: files.caKey)
            )
            return (authority, false)
        }
        let authority = try CertificateAuthority.generate(now: now)
        try PEMFiles.writePair(
            CertifiedKey(certificate: authority.certificate, privateKey: authority.privateKey),
            certificate: files.caCertificate,
            key: files.caKey
        )
        return (authority, true)
    }

    /// The pair stored at `certificate`/`key` if `mayReuse` and it is readable and passes
    /// `canReuse`; otherwise a pair from `issue`, written to those files.
    private static func reuseOrIssue(
        certificate: URL,
        key: URL,
        mayReuse: Bool,
        canReuse: (CertifiedKey) -> Bool,
        issue: () throws -> CertifiedKey
    ) throws -> CertifiedKey {
        if mayReuse, let existing = try? PEMFiles.readPair(certificate: certificate, key: key), canReuse(existing) {
            return existing
        }
        let issued = try issue()
        try PEMFiles.writePair(issued, certificate: certificate, key: key)
        return issued
    }
}
