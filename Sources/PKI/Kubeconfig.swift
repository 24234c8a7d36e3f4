import Foundation

/// A kubeconfig with one cluster, one user and one context, all named `default`, carrying the
/// CA and client credentials inline, in the layout `kubectl config view --raw` prints.
public struct Kubeconfig: Sendable, Hashable {
    /// The address of the API server on this machine.
    public static let defaultServer = "https://127.0.0.1:6443"

    /// The API server URL, e.g. `https://127.0.0.1:6443`.
    public var server: String
    /// The CA certificate clients trust (PEM), stored base64-encoded as `certificate-authority-data`.
    public var certificateAuthorityPEM: String
    /// The client certificate (PEM), stored base64-encoded as `client-certificate-data`.
    public var clientCertificatePEM: String
    /// The client private key (PEM), stored base64-encoded as `client-key-data`.
    public var clientKeyPEM: String

    public init(
        server: String = Kubeconfig.defaultServer,
        certificateAuthorityPEM: String,
        clientCertificatePEM: String,
        clientKeyPEM: String
    ) {
        self.server = server
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
    }

    /// The kubeconfig as YAML, ending in a newline. Each `-data` value is the standard base64 of
    /// the PEM text's UTF-8 bytes, on one line.
    public func render() -> String {
        """
        apiVersion: v1
        clusters:
        - cluster:
            certificate-authority-data: \(Self.base64(certificateAuthorityPEM))
            server: \(Self.yamlScalar(server))
          name: default
        contexts:
        - context:
            cluster: default
            user: default
          name: default
        current-context: default
        kind: Config
        preferences: {}
        users:
        - name: default
          user:
            client-certificate-data: \(Self.base64(clientCertificatePEM))
            client-key-data: \(Self.base64(clientKeyPEM))

        """
    }

    /// Writes `render()` to `url` atomically (temporary file, then rename) with mode 0600,
    /// creating missing parent directories with mode 0700.
    public func write(to url: URL) throws {
        try AtomicFileWriter.replaceContents(
            of: url,
            with: Data(render().utf8),
            mode: 0o600,
            createParentDirectories: true
        )
    }

    private static func base64(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
    }

    /// `value` as a YAML scalar: plain when it is made only of URL-safe characters and cannot be
    /// mistaken for another YAML construct, otherwise double-quoted with escapes.
    static func yamlScalar(_ value: String) -> String {
        let plainSafe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:/.-_[]%~+=")
        if let first = value.first, first.isLetter, value.allSatisfy(plainSafe.contains),
            !value.contains(": "), !value.hasSuffix(":")
        {
            return value
        }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                quoted += String(format: "\\x%02X", scalar.value)
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}
