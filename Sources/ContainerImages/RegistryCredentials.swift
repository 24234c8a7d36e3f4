import Foundation

/// A user name and password (or token) for one registry.
public struct RegistryCredentials: Sendable, Equatable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// The value of an HTTP Basic `Authorization` header.
    var basicAuthorization: String {
        "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }
}

/// Registry credentials in the shape of a `kubernetes.io/dockerconfigjson` secret (`.dockerconfigjson`) or a
/// `~/.docker/config.json`: `{"auths":{"host:port":{"username":…,"password":…,"auth":"base64(user:pass)"}}}`.
///
/// Keys are matched by registry host as the kubelet does: a key may carry a scheme and a path
/// (`https://index.docker.io/v1/`), and Docker Hub's aliases (`index.docker.io`, `registry-1.docker.io`) all
/// mean `docker.io`.
public struct DockerConfigCredentials: Sendable, Equatable {
    /// Credentials by normalised registry host.
    public private(set) var registries: [String: RegistryCredentials]

    /// No credentials: every pull is anonymous.
    public static let none = DockerConfigCredentials(registries: [:])

    /// Credentials by registry host (normalised like the keys of a config file).
    public init(registries: [String: RegistryCredentials]) {
        self.registries = [:]
        for (host, credentials) in registries { self.registries[Self.normalisedHost(host)] = credentials }
    }

    /// Parses a `.dockerconfigjson` (`{"auths":{…}}`) or a legacy `.dockercfg` (the `auths` object alone).
    /// An entry needs `username` and `password`, or `auth`; entries with neither are skipped.
    /// - Throws: ``ImageStoreError/invalidResponse(url:reason:)`` naming `source` when the document is malformed.
    public init(json: Data, source: String = ".dockerconfigjson") throws {
        struct Entry: Decodable { var username: String?; var password: String?; var auth: String? }
        struct Config: Decodable { var auths: [String: Entry]? }
        let entries: [String: Entry]
        do {
            if let auths = try JSONDecoder().decode(Config.self, from: json).auths {
                entries = auths
            } else {
                entries = try JSONDecoder().decode([String: Entry].self, from: json)
            }
        } catch {
            throw ImageStoreError.invalidResponse(url: source, reason: "not a docker config: \(error)")
        }
        var registries: [String: RegistryCredentials] = [:]
        for (host, entry) in entries {
            if let username = entry.username, let password = entry.password, !username.isEmpty {
                registries[host] = RegistryCredentials(username: username, password: password)
            } else if let auth = entry.auth, let decoded = Data(base64Encoded: auth).flatMap({ String(data: $0, encoding: .utf8) }),
                      let colon = decoded.firstIndex(of: ":") {
                registries[host] = RegistryCredentials(username: String(decoded[..<colon]),
                                                       password: String(decoded[decoded.index(after: colon)...]))
            }
        }
        self.init(registries: registries)
    }

    /// The credentials for a registry host (an ``ImageReference/domain``), or nil for anonymous access.
    public func credentials(forRegistry host: String) -> RegistryCredentials? {
        registries[Self.normalisedHost(host)]
    }

    /// These credentials with `other`'s added; `other` wins for a host both name (the kubelet tries secrets in
    /// order, so merge later secrets under earlier ones by calling `later.merging(earlier)`).
    public func merging(_ other: DockerConfigCredentials) -> DockerConfigCredentials {
        DockerConfigCredentials(registries: registries.merging(other.registries) { _, theirs in theirs })
    }

    /// `https://index.docker.io/v1/` → `docker.io`; `HOST:5000/` → `host:5000`.
    static func normalisedHost(_ key: String) -> String {
        var host = Substring(key.lowercased())
        if let scheme = host.range(of: "://") { host = host[scheme.upperBound...] }
        if let slash = host.firstIndex(of: "/") { host = host[..<slash] }
        switch host {
        case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com": return "docker.io"
        default: return String(host)
        }
    }
}
