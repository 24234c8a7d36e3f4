import Foundation
import SwiftASN1
import X509

/// Where the cluster PKI keeps its files inside its directory (by convention `<data-dir>/tls/`).
///
/// Certificates are PEM `CERTIFICATE` documents written with mode 0644; private keys are PKCS#8
/// PEM `PRIVATE KEY` documents written with mode 0600.
public struct PKIFileLayout: Sendable, Hashable {
    /// The directory holding all the files below.
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// The self-signed cluster CA certificate, `ca.crt`.
    public var caCertificate: URL { directory.appendingPathComponent("ca.crt") }
    /// The cluster CA private key, `ca.key`.
    public var caKey: URL { directory.appendingPathComponent("ca.key") }
    /// The API server's serving certificate, `serving.crt`.
    public var servingCertificate: URL { directory.appendingPathComponent("serving.crt") }
    /// The API server's serving key, `serving.key`.
    public var servingKey: URL { directory.appendingPathComponent("serving.key") }
    /// The `system:admin` client certificate, `client-admin.crt`.
    public var adminCertificate: URL { directory.appendingPathComponent("client-admin.crt") }
    /// The `system:admin` client key, `client-admin.key`.
    public var adminKey: URL { directory.appendingPathComponent("client-admin.key") }
}

/// A certificate together with the private key for its public key.
struct CertifiedKey: Sendable, Hashable {
    var certificate: Certificate
    var privateKey: Certificate.PrivateKey

    /// Whether `privateKey` is the key `certificate` certifies.
    var keyMatchesCertificate: Bool { privateKey.publicKey == certificate.publicKey }

    /// The certificate as one PEM `CERTIFICATE` document ending in a newline.
    func certificatePEM() throws -> String {
        try PEMFiles.pem(certificate)
    }

    /// The key as one PEM document ending in a newline.
    func keyPEM() throws -> String {
        try PEMFiles.pem(privateKey)
    }
}

/// Reading and writing PEM certificates and keys.
enum PEMFiles {
    static let certificateMode: mode_t = 0o644
    static let keyMode: mode_t = 0o600

    /// The PEM text of `certificate`, ending in a newline.
    static func pem(_ certificate: Certificate) throws -> String {
        try certificate.serializeAsPEM().pemString + "\n"
    }

    /// The PEM text of `key`, ending in a newline.
    static func pem(_ key: Certificate.PrivateKey) throws -> String {
        try key.serializeAsPEM().pemString + "\n"
    }

    /// Whether a file exists at `url`.
    static func exists(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.path)
    }

    /// Reads a certificate and its key. Returns nil when either file is missing; throws
    /// `PKIError.unreadablePEM` when a file exists but does not hold a single valid document.
    /// Does not check that the key matches the certificate.
    static func readPair(certificate certificateURL: URL, key keyURL: URL) throws -> CertifiedKey? {
        guard exists(certificateURL), exists(keyURL) else { return nil }
        return CertifiedKey(
            certificate: try readCertificate(at: certificateURL),
            privateKey: try readPrivateKey(at: keyURL)
        )
    }

    /// Parses the single PEM certificate in the file at `url`.
    static func readCertificate(at url: URL) throws -> Certificate {
        let text = try readText(at: url)
        do {
            return try Certificate(pemEncoded: text)
        } catch {
            throw PKIError.unreadablePEM(path: url.path, reason: "\(error)")
        }
    }

    /// Parses the single PEM private key (PKCS#8, SEC1 or PKCS#1 RSA) in the file at `url`.
    static func readPrivateKey(at url: URL) throws -> Certificate.PrivateKey {
        let text = try readText(at: url)
        do {
            return try Certificate.PrivateKey(pemEncoded: text)
        } catch {
            throw PKIError.unreadablePEM(path: url.path, reason: "\(error)")
        }
    }

    /// Writes `pair` atomically: the key first (mode 0600), then the certificate (mode 0644).
    ///
    /// A crash between the two writes leaves a key that does not match the certificate, which
    /// `CertifiedKey.keyMatchesCertificate` detects on the next start.
    static func writePair(_ pair: CertifiedKey, certificate certificateURL: URL, key keyURL: URL) throws {
        try AtomicFileWriter.replaceContents(of: keyURL, with: Data(pair.keyPEM().utf8), mode: keyMode)
        try AtomicFileWriter.replaceContents(
            of: certificateURL, with: Data(pair.certificatePEM().utf8), mode: certificateMode)
    }

    private static func readText(at url: URL) throws -> String {
        do {
            let data = try Data(contentsOf: url)
            return String(decoding: data, as: UTF8.self)
        } catch {
            throw PKIError.unreadablePEM(path: url.path, reason: "\(error)")
        }
    }
}
