/// Where a registry host (an ``ImageReference/domain``) is reached: HTTPS, except plain HTTP for loopback hosts
/// (`localhost`, `127.0.0.0/8`, `[::1]`, with or without a port), which never leave the machine. Docker Hub
/// (`docker.io`) is served by `registry-1.docker.io`.
struct RegistryEndpoint: Equatable {
    /// `https://registry-1.docker.io`, `http://127.0.0.1:5000`: no trailing slash.
    let baseURL: String

    init(domain: String) {
        let host = domain == "docker.io" ? "registry-1.docker.io" : domain
        baseURL = (RegistryEndpoint.isLoopback(host) ? "http://" : "https://") + host
    }

    /// The URL of `path` (which starts with `/v2/`).
    func url(_ path: String) -> String { baseURL + path }

    /// Whether `authority` (`host`, `host:port`, `[v6]:port`) names this machine's loopback interface.
    static func isLoopback(_ authority: String) -> Bool {
        let host: Substring
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = authority[authority.index(after: authority.startIndex)..<close]
        } else {
            host = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        }
        if host.lowercased() == "localhost" || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// Whether a URL a registry handed out (a token realm, a redirect) may be used: HTTPS, or HTTP to loopback.
    static func isAllowed(_ url: String) -> Bool {
        if url.lowercased().hasPrefix("https://") { return true }
        guard url.lowercased().hasPrefix("http://") else { return false }
        let authority = url.dropFirst("http://".count).prefix { $0 != "/" && $0 != "?" }
        return isLoopback(String(authority.split(separator: "@").last ?? ""))
    }
}
