import Crypto
import _CryptoExtras
import Foundation

/// What every server of one cluster must share so that one kubeconfig works against all of them: the CA
/// certificate and key and the `system:admin` client certificate and key (the files of `PKIFileLayout`
/// minus the per-server serving pair).
///
/// Servers on one datastore exchange them sealed with the cluster token, as k3s does: the first server
/// seals its files into the datastore, and a server started with the same token opens them and writes them
/// into its own PKI directory before loading it (its serving certificate is then reissued by the shared CA).
///
/// Sealing: AES-256-GCM with a key derived from the token by PBKDF2-HMAC-SHA256 (210,000 rounds, a random
/// 16-byte salt per sealing). The sealed form is JSON `{"version":1,"salt":…,"sealed":…}` (base64): the
/// datastore never holds the keys in the clear, and a wrong token is told apart from damaged data only
/// in that neither opens.
public struct ClusterSecrets: Sendable, Equatable {
    /// PEM text by file name inside the PKI directory (`ca.crt`, `ca.key`, `client-admin.crt`, `client-admin.key`).
    public var files: [String: String]

    static let fileModes: [String: mode_t] = [
        "ca.crt": PEMFiles.certificateMode, "ca.key": PEMFiles.keyMode,
        "client-admin.crt": PEMFiles.certificateMode, "client-admin.key": PEMFiles.keyMode,
    ]
    private static let rounds = 210_000

    public init(files: [String: String]) {
        self.files = files
    }

    /// The shared files of the PKI in `layout` (which `ClusterPKI.loadOrCreate` has created).
    /// - Throws: `PKIError.fileSystem` when one is missing or unreadable.
    public static func read(from layout: PKIFileLayout) throws -> ClusterSecrets {
        var files: [String: String] = [:]
        for name in fileModes.keys.sorted() {
            let url = layout.directory.appendingPathComponent(name)
            do {
                files[name] = try String(contentsOf: url, encoding: .utf8)
            } catch {
                throw PKIError.fileSystem(operation: "read", path: url.path, reason: "\(error)")
            }
        }
        return ClusterSecrets(files: files)
    }

    /// Writes the files into `layout`'s directory (atomically, keys 0600), replacing what is there. Files
    /// whose content is already the same are left alone. Returns whether anything changed.
    @discardableResult
    public func write(to layout: PKIFileLayout) throws -> Bool {
        try AtomicFileWriter.createDirectory(layout.directory, mode: 0o700)
        var changed = false
        for (name, pem) in files.sorted(by: { $0.key < $1.key }) {
            guard let mode = Self.fileModes[name] else { continue }
            let url = layout.directory.appendingPathComponent(name)
            if (try? String(contentsOf: url, encoding: .utf8)) == pem { continue }
            try AtomicFileWriter.replaceContents(of: url, with: Data(pem.utf8), mode: mode)
            changed = true
        }
        return changed
    }

    /// The files sealed with `token`.
    public func sealed(token: String) throws -> Data {
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = UInt8.random(in: 0...255, using: &generator) }
        let plain = try JSONEncoder.sortedKeys.encode(files)
        let box = try AES.GCM.seal(plain, using: try Self.key(token: token, salt: salt))
        guard let combined = box.combined else { throw ClusterSecretsError.damaged }
        let envelope = Envelope(version: 1, salt: Data(salt).base64EncodedString(), sealed: combined.base64EncodedString())
        return try JSONEncoder.sortedKeys.encode(envelope)
    }

    /// Opens what `sealed(token:)` produced.
    /// - Throws: `ClusterSecretsError.wrongToken` when the token does not open it, `.damaged` when it is not
    ///   a sealed envelope at all.
    public static func open(_ data: Data, token: String) throws -> ClusterSecrets {
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: data), envelope.version == 1,
              let salt = Data(base64Encoded: envelope.salt), let combined = Data(base64Encoded: envelope.sealed),
              let box = try? AES.GCM.SealedBox(combined: combined) else {
            throw ClusterSecretsError.damaged
        }
        guard let plain = try? AES.GCM.open(box, using: try key(token: token, salt: salt)) else {
            throw ClusterSecretsError.wrongToken
        }
        guard let files = try? JSONDecoder().decode([String: String].self, from: plain) else {
            throw ClusterSecretsError.damaged
        }
        return ClusterSecrets(files: files)
    }

    private static func key(token: String, salt: some DataProtocol) throws -> SymmetricKey {
        try KDF.Insecure.PBKDF2.deriveKey(from: Array(token.utf8), salt: salt, using: .sha256, outputByteCount: 32,
                                          rounds: rounds)
    }

    private struct Envelope: Codable {
        var version: Int
        var salt: String
        var sealed: String
    }
}

/// Why sealed cluster secrets could not be opened.
public enum ClusterSecretsError: Error, Sendable, Equatable, CustomStringConvertible {
    case wrongToken
    case damaged

    public var description: String {
        switch self {
        case .wrongToken:
            return "the token does not open the cluster credentials kept in the datastore; start this server with the "
                + "first server's token (--token, from its <data-dir>/token)"
        case .damaged:
            return "the cluster credentials kept in the datastore are damaged (not a sealed envelope)"
        }
    }
}

private extension JSONEncoder {
    static var sortedKeys: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
