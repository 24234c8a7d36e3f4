import Crypto
import Foundation
import SwiftASN1
import X509

/// The cluster certificate authority: a self-signed CA certificate and its private key. It signs
/// the serving certificate and every client certificate, and is the only root the API server and
/// its clients trust.
struct CertificateAuthority: Sendable {
    /// How long a generated CA is valid: ten years.
    static let validity: TimeInterval = 10 * 365 * 24 * 60 * 60
    /// How far `notValidBefore` of every issued certificate is set before the issuing time, so a
    /// peer whose clock is slightly behind still accepts a certificate issued just now.
    static let clockSkewAllowance: TimeInterval = 5 * 60

    let certificate: Certificate
    let privateKey: Certificate.PrivateKey

    /// Wraps an existing CA.
    /// - Throws: `PKIError.invalidCertificateAuthority` if `privateKey` does not belong to
    ///   `certificate`, or `certificate` is not self-signed or lacks CA:true / keyCertSign.
    init(certificate: Certificate, privateKey: Certificate.PrivateKey) throws {
        guard privateKey.publicKey == certificate.publicKey else {
            throw PKIError.invalidCertificateAuthority(reason: "the private key does not match the certificate")
        }
        guard case .isCertificateAuthority = try? certificate.extensions.basicConstraints else {
            throw PKIError.invalidCertificateAuthority(reason: "the certificate lacks basicConstraints CA:true")
        }
        if let keyUsage = try? certificate.extensions.keyUsage, !keyUsage.keyCertSign {
            throw PKIError.invalidCertificateAuthority(reason: "the certificate's keyUsage lacks keyCertSign")
        }
        guard certificate.issuer == certificate.subject,
            certificate.publicKey.isValidSignature(certificate.signature, for: certificate)
        else {
            throw PKIError.invalidCertificateAuthority(reason: "the certificate is not self-signed")
        }
        self.certificate = certificate
        self.privateKey = privateKey
    }

    /// Generates a new ECDSA P-256 CA named `skiff-ca@<unix seconds of now>`, valid for ten years.
    ///
    /// Extensions: basicConstraints CA:true (critical), keyUsage digitalSignature + keyCertSign +
    /// cRLSign (critical), subjectKeyIdentifier.
    static func generate(now: Date) throws -> CertificateAuthority {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let name = try DistinguishedName {
            CommonName("skiff-ca@\(Int64(now.timeIntervalSince1970))")
        }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
            Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
            SubjectKeyIdentifier(hash: key.publicKey)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: randomSerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: now - clockSkewAllowance,
            notValidAfter: now + validity,
            issuer: name,
            subject: name,
            extensions: extensions,
            issuerPrivateKey: key
        )
        return try CertificateAuthority(certificate: certificate, privateKey: key)
    }

    /// Issues a leaf (non-CA) certificate for a freshly generated ECDSA P-256 key.
    ///
    /// The certificate has a random positive 16-byte serial number, validity
    /// `[issuedAt - clockSkewAllowance, issuedAt + validity]`, and the extensions basicConstraints
    /// CA:false (critical), keyUsage digitalSignature (critical), the given extendedKeyUsage,
    /// subjectKeyIdentifier, authorityKeyIdentifier, and subjectAlternativeNames when `names` is
    /// not empty.
    func issueLeaf(
        subject: DistinguishedName,
        extendedKeyUsage: [ExtendedKeyUsage.Usage],
        names: [GeneralName],
        issuedAt: Date,
        validity: TimeInterval
    ) throws -> CertifiedKey {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage(extendedKeyUsage)
            SubjectKeyIdentifier(hash: key.publicKey)
            AuthorityKeyIdentifier(keyIdentifier: subjectKeyIdentifier)
            if !names.isEmpty {
                SubjectAlternativeNames(names)
            }
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Self.randomSerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: issuedAt - Self.clockSkewAllowance,
            notValidAfter: issuedAt + validity,
            issuer: self.certificate.subject,
            subject: subject,
            extensions: extensions,
            issuerPrivateKey: privateKey
        )
        return CertifiedKey(certificate: certificate, privateKey: key)
    }

    /// Whether `certificate` names this CA as its issuer and carries a valid signature by this
    /// CA's key. Says nothing about validity dates or usage.
    func signed(_ certificate: Certificate) -> Bool {
        certificate.issuer == self.certificate.subject
            && self.certificate.publicKey.isValidSignature(certificate.signature, for: certificate)
    }

    /// The CA's key identifier: the one in its certificate, else the RFC 5280 SHA-1 of its key.
    var subjectKeyIdentifier: ArraySlice<UInt8> {
        if let identifier = try? certificate.extensions.subjectKeyIdentifier {
            return identifier.keyIdentifier
        }
        return SubjectKeyIdentifier(hash: certificate.publicKey).keyIdentifier
    }

    /// A random serial number of exactly 16 bytes that DER encodes as a positive INTEGER: the
    /// top bit of the first byte is cleared (positive) and the next bit set (no leading zero
    /// byte to strip), leaving 126 random bits.
    static func randomSerialNumber() -> Certificate.SerialNumber {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        bytes[0] = (bytes[0] & 0x7F) | 0x40
        return Certificate.SerialNumber(bytes: bytes)
    }
}
