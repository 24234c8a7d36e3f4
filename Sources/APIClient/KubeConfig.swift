import Foundation

/// Where an API server is and how to authenticate to it, as read from a kubeconfig file.
///
/// Only the first cluster (`clusters[0].cluster`) and the first user (`users[0].user`) are read;
/// contexts and `current-context` are ignored. This matches the kubeconfig Skiff writes (one cluster,
/// one user, one context, all named `default`).
public struct KubeConfig: Sendable, Hashable {
    /// The API server base URL, e.g. `https://127.0.0.1:6443` (no trailing slash).
    public var server: String
    /// The PEM text of the CA certificate that signs the server's certificate, if given.
    /// When present, the client trusts only this CA.
    public var certificateAuthorityPEM: String?
    /// The PEM text of the client certificate presented to the server, if given.
    public var clientCertificatePEM: String?
    /// The PEM text of the client certificate's private key, if given.
    public var clientKeyPEM: String?
    /// A bearer token sent as `Authorization: Bearer <token>`, if given.
    public var token: String?
    /// kubeconfig's `insecure-skip-tls-verify`: the server's certificate is not checked at all. Only for
    /// fetching something whose authenticity is proven otherwise (an agent's `JoinProof`-checked CA).
    public var insecureSkipTLSVerify = false

    public init(server: String, certificateAuthorityPEM: String? = nil, clientCertificatePEM: String? = nil,
                clientKeyPEM: String? = nil, token: String? = nil) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.token = token
    }

    /// Reads and parses the kubeconfig at `url`; see `parse(_:)`.
    public static func load(contentsOf url: URL) throws -> KubeConfig {
        let data = try Data(contentsOf: url)
        guard let text = String(data: data, encoding: .utf8) else { throw KubeConfigError.notUTF8 }
        return try parse(text)
    }

    /// Parses kubeconfig YAML of the shape `kubectl config view --raw` prints and Skiff writes.
    ///
    /// This is a line-based reader, not a YAML parser. It understands block mappings and block
    /// sequences whose items start with `- ` (at any indentation), plain, single-quoted and
    /// double-quoted scalars, and `#` comments. Under `clusters[0].cluster` it reads `server` and
    /// `certificate-authority-data`; under `users[0].user` it reads `client-certificate-data`,
    /// `client-key-data` and `token`. The `-data` values are standard base64 of PEM text.
    ///
    /// - Throws: `KubeConfigError.missingField("server")` when no server is given,
    ///   `.invalidBase64(field)` when a `-data` value does not decode to UTF-8 text,
    ///   `.incompleteClientCertificate` when only one of the client certificate and key is given.
    public static func parse(_ text: String) throws -> KubeConfig {
        var reader = SectionReader()
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            reader.consume(Substring(rawLine))
        }
        guard let server = reader.cluster["server"], !server.isEmpty else { throw KubeConfigError.missingField("server") }
        func pem(_ field: String, _ values: [String: String]) throws -> String? {
            guard let encoded = values[field] else { return nil }
            let compact = encoded.filter { !$0.isWhitespace }
            guard let data = Data(base64Encoded: compact), let text = String(data: data, encoding: .utf8) else {
                throw KubeConfigError.invalidBase64(field)
            }
            return text
        }
        var config = KubeConfig(
            server: server,
            certificateAuthorityPEM: try pem("certificate-authority-data", reader.cluster),
            clientCertificatePEM: try pem("client-certificate-data", reader.user),
            clientKeyPEM: try pem("client-key-data", reader.user),
            token: reader.user["token"].flatMap { $0.isEmpty ? nil : $0 })
        config.insecureSkipTLSVerify = reader.cluster["insecure-skip-tls-verify"] == "true"
        if (config.clientCertificatePEM == nil) != (config.clientKeyPEM == nil) {
            throw KubeConfigError.incompleteClientCertificate
        }
        return config
    }
}

/// Why a kubeconfig could not be read.
public enum KubeConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    case notUTF8
    case missingField(String)
    case invalidBase64(String)
    case incompleteClientCertificate
    case invalidScalar(String)

    public var description: String {
        switch self {
        case .notUTF8: "kubeconfig is not UTF-8 text"
        case .missingField(let field): "kubeconfig has no \(field)"
        case .invalidBase64(let field): "kubeconfig \(field) is not base64-encoded text"
        case .incompleteClientCertificate: "kubeconfig gives only one of client-certificate-data and client-key-data"
        case .invalidScalar(let text): "kubeconfig has an unterminated quoted value: \(text)"
        }
    }
}

/// Tracks where in the document a line is: which top-level section, which item of its sequence,
/// and which mapping inside the item, by indentation.
struct SectionReader {
    private(set) var cluster: [String: String] = [:]
    private(set) var user: [String: String] = [:]

    /// The current top-level key (`clusters`, `users`, …).
    private var section = ""
    /// Index of the current item in the section's sequence (-1 before the first `- `).
    private var itemIndex = -1
    /// Indentation of the section's `- ` markers.
    private var itemIndent: Int?
    /// Open mappings inside the current item: (indent of the key, key name).
    private var path: [(indent: Int, key: String)] = []

    mutating func consume(_ line: Substring) {
        var content = line
        if content.last == "\r" { content = content.dropLast() }
        let indent = content.prefix { $0 == " " }.count
        content = content.dropFirst(indent)
        if content.isEmpty || content.first == "#" { return }

        if indent == 0 && content.first != "-" {
            // A top-level key: a new section.
            guard let (key, _) = Self.keyValue(content) else { return }
            section = key
            itemIndex = -1
            itemIndent = nil
            path = []
            return
        }

        var keyIndent = indent
        if content.first == "-" && (content.count == 1 || content.dropFirst().first == " ") {
            // A sequence item marker; only the section's own sequence counts (the first `- ` seen fixes
            // its indentation; deeper dashes belong to nested lists and are skipped).
            if itemIndent == nil { itemIndent = indent }
            guard indent == itemIndent else { return }
            itemIndex += 1
            path = []
            content = content.dropFirst()
            let spaces = content.prefix { $0 == " " }.count
            content = content.dropFirst(spaces)
            keyIndent = indent + 1 + spaces
            if content.isEmpty { return }
        }
        guard itemIndex == 0, let (key, value) = Self.keyValue(content) else { return }
        while let last = path.last, last.indent >= keyIndent { path.removeLast() }
        let parents = path.map(\.key)
        if let value {
            let scalar = (try? Self.scalar(value)) ?? String(value)
            if section == "clusters" && parents == ["cluster"] { cluster[key] = scalar }
            if section == "users" && parents == ["user"] { user[key] = scalar }
        } else {
            path.append((keyIndent, key))
        }
    }

    /// Splits `key: value` (or `key:` with no value, then value is nil).
    static func keyValue(_ content: Substring) -> (String, Substring?)? {
        guard let colon = content.firstRange(of: ": ") ?? (content.hasSuffix(":") ? content.index(before: content.endIndex)..<content.endIndex : nil) else {
            return nil
        }
        let key = try? scalar(content[..<colon.lowerBound])
        guard let key, !key.isEmpty else { return nil }
        let rest = content[colon.upperBound...].drop { $0 == " " }
        if rest.isEmpty || rest.first == "#" { return (key, nil) }
        return (key, rest)
    }

    /// The value of a YAML scalar: double-quoted (with escapes), single-quoted (`''` for `'`), or plain
    /// (up to a ` #` comment, trailing spaces trimmed).
    static func scalar(_ text: Substring) throws -> String {
        var text = text
        while text.last == " " || text.last == "\t" { text = text.dropLast() }
        if text.first == "\"" {
            var out = ""
            var iterator = text.dropFirst().makeIterator()
            while let c = iterator.next() {
                switch c {
                case "\"": return out
                case "\\":
                    guard let escaped = iterator.next() else { throw KubeConfigError.invalidScalar(String(text)) }
                    switch escaped {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    case "r": out.append("\r")
                    case "0": out.append("\0")
                    case "x":
                        var hex = ""
                        for _ in 0..<2 { if let h = iterator.next() { hex.append(h) } }
                        guard let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) else {
                            throw KubeConfigError.invalidScalar(String(text))
                        }
                        out.unicodeScalars.append(scalar)
                    default: out.append(escaped)
                    }
                default: out.append(c)
                }
            }
            throw KubeConfigError.invalidScalar(String(text))
        }
        if text.first == "'" {
            var out = ""
            var rest = text.dropFirst()
            while let c = rest.first {
                rest = rest.dropFirst()
                if c == "'" {
                    if rest.first == "'" { out.append("'"); rest = rest.dropFirst(); continue }
                    return out
                }
                out.append(c)
            }
            throw KubeConfigError.invalidScalar(String(text))
        }
        if let comment = text.firstRange(of: " #") { text = text[..<comment.lowerBound] }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
