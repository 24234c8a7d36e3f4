import AsyncHTTPClient
import Foundation

/// Speaks the OCI distribution protocol to one repository of one registry, for pulls: the `/v2/` ping,
/// manifests and blobs, with anonymous, HTTP Basic or Bearer-token authorization.
///
/// Authorization follows the registry's lead: a request answered 401 with `WWW-Authenticate: Basic …` is
/// retried with the credentials; with `Bearer realm=…,service=…,scope=…` a token is fetched from the realm
/// (sending the credentials, if any, as Basic) and the request retried with it. The token or Basic header is
/// then sent with every later request. Redirects (a blob on object storage) are followed by hand, at most 5,
/// only to HTTPS or loopback URLs, and the authorization is sent only to the registry's own host.
actor RegistryClient {
    let endpoint: RegistryEndpoint
    /// `library/busybox`.
    let repository: String
    private let domain: String
    private let credentials: RegistryCredentials?
    private let http: HTTPClient
    /// The `Authorization` header that the registry last accepted or asked for.
    private var authorization: String?

    /// Manifest types a pull accepts, in order of preference (the `Accept` header; registries answer OCI
    /// manifests only to a request that accepts them, and convert Docker ones to schema 1 otherwise).
    static let manifestTypes = [MediaType.ociIndex, MediaType.ociManifest, MediaType.dockerManifestList, MediaType.dockerManifest]

    init(reference: ImageReference, credentials: RegistryCredentials?, http: HTTPClient) {
        self.endpoint = RegistryEndpoint(domain: reference.domain)
        self.repository = reference.path
        self.domain = reference.domain
        self.credentials = credentials
        self.http = http
    }

    /// `GET /v2/`: checks that the host is a registry (and authorizes early, if it asks).
    func ping() async throws {
        let response = try await get("/v2/", accept: [])
        _ = try? await response.body.collect(upTo: 64 * 1024)
    }

    /// A manifest or index by tag or digest, at most 4 MiB: its bytes and the `Content-Type` and
    /// `Docker-Content-Digest` headers.
    func manifest(_ tagOrDigest: String) async throws -> (body: Data, contentType: String?, digestHeader: String?) {
        let path = "/v2/\(repository)/manifests/\(tagOrDigest)"
        let response = try await get(path, accept: Self.manifestTypes)
        let body = try await Self.collect(response, upTo: 4 << 20, url: endpoint.url(path))
        return (body, response.headers.first(name: "Content-Type"), response.headers.first(name: "Docker-Content-Digest"))
    }

    /// A blob's response, its body not read yet.
    func blob(_ digest: Digest) async throws -> HTTPClientResponse {
        try await get("/v2/\(repository)/blobs/\(digest)", accept: [])
    }

    /// Reads a whole (small) body; a longer one is an error.
    static func collect(_ response: HTTPClientResponse, upTo limit: Int, url: String) async throws -> Data {
        do {
            return Data(try await response.body.collect(upTo: limit).readableBytesView)
        } catch {
            throw ImageStoreError.network(url: url, reason: "reading the body (at most \(limit) bytes): \(error)")
        }
    }

    // MARK: requests

    /// GETs `path` (under `/v2/`), authorizing when the registry asks (once), following redirects.
    /// Any status but 2xx is thrown as ``ImageStoreError``.
    private func get(_ path: String, accept: [String]) async throws -> HTTPClientResponse {
        let url = endpoint.url(path)
        var response = try await send(url, accept: accept, authorization: authorization)
        if response.status.code == 401 {
            let challenge = response.headers.first(name: "WWW-Authenticate").flatMap(AuthenticationChallenge.init(header:))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            authorization = try await authorize(challenge)
            response = try await send(url, accept: accept, authorization: authorization)
            if response.status.code == 401 {
                _ = try? await response.body.collect(upTo: 64 * 1024)
                throw ImageStoreError.unauthorized(registry: domain, reason: credentials == nil
                    ? "the registry wants credentials and none were given" : "the registry refused the credentials for \(domain)")
            }
        }
        guard (200..<300).contains(response.status.code) else {
            throw ImageStoreError.registry(url: url, status: Int(response.status.code),
                                           detail: await Self.errorDetail(response))
        }
        return response
    }

    /// One GET, following redirects by hand: the authorization goes only to the registry's own URLs.
    private func send(_ url: String, accept: [String], authorization: String?) async throws -> HTTPClientResponse {
        var url = url
        for _ in 0...5 {
            var request = HTTPClientRequest(url: url)
            if !accept.isEmpty { request.headers.add(name: "Accept", value: accept.joined(separator: ", ")) }
            if let authorization, url.hasPrefix(endpoint.baseURL + "/") {
                request.headers.add(name: "Authorization", value: authorization)
            }
            request.headers.add(name: "User-Agent", value: "skiff")
            let response: HTTPClientResponse
            do {
                response = try await http.execute(request, timeout: .hours(24))
            } catch {
                throw ImageStoreError.network(url: url, reason: "\(error)")
            }
            guard [301, 302, 303, 307, 308].contains(response.status.code),
                  let location = response.headers.first(name: "Location") else { return response }
            _ = try? await response.body.collect(upTo: 64 * 1024)
            url = Self.resolve(location, against: url)
            guard RegistryEndpoint.isAllowed(url) else {
                throw ImageStoreError.invalidResponse(url: url, reason: "redirected to a plain-HTTP URL off this machine")
            }
        }
        throw ImageStoreError.invalidResponse(url: url, reason: "more than 5 redirects")
    }

    /// The `Authorization` header a challenge asks for.
    private func authorize(_ challenge: AuthenticationChallenge?) async throws -> String {
        switch challenge?.scheme {
        case "basic":
            guard let credentials else {
                throw ImageStoreError.unauthorized(registry: domain, reason: "the registry wants credentials and none were given")
            }
            return credentials.basicAuthorization
        case "bearer":
            return "Bearer " + (try await token(challenge?.parameters ?? [:]))
        default:
            throw ImageStoreError.unauthorized(registry: domain, reason: "401 without a Basic or Bearer challenge")
        }
    }

    /// Fetches a pull token from the challenge's realm (`GET realm?service=…&scope=…`), with the credentials
    /// as Basic when there are some.
    private func token(_ parameters: [String: String]) async throws -> String {
        guard let realm = parameters["realm"], var components = URLComponents(string: realm), RegistryEndpoint.isAllowed(realm) else {
            throw ImageStoreError.unauthorized(registry: domain, reason: "unusable token realm \(parameters["realm"] ?? "(none)")")
        }
        var query = components.queryItems ?? []
        if let service = parameters["service"] { query.append(URLQueryItem(name: "service", value: service)) }
        query.append(URLQueryItem(name: "scope", value: parameters["scope"] ?? "repository:\(repository):pull"))
        components.queryItems = query
        let url = components.string ?? realm
        var request = HTTPClientRequest(url: url)
        if let credentials { request.headers.add(name: "Authorization", value: credentials.basicAuthorization) }
        request.headers.add(name: "User-Agent", value: "skiff")
        let response: HTTPClientResponse
        do { response = try await http.execute(request, timeout: .seconds(60)) } catch {
            throw ImageStoreError.network(url: url, reason: "\(error)")
        }
        let body = try await Self.collect(response, upTo: 1 << 20, url: url)
        guard response.status.code == 200 else {
            throw ImageStoreError.unauthorized(registry: domain, reason: "the token server answered HTTP \(response.status.code)")
        }
        struct TokenResponse: Decodable { var token: String?; var access_token: String? }
        guard let decoded = try? JSONDecoder().decode(TokenResponse.self, from: body),
              let token = decoded.token ?? decoded.access_token, !token.isEmpty else {
            throw ImageStoreError.unauthorized(registry: domain, reason: "the token server's answer holds no token")
        }
        return token
    }

    /// `UNKNOWN: message; CODE2: message2` from a registry's `{"errors":[{"code","message"}]}` body.
    private static func errorDetail(_ response: HTTPClientResponse) async -> String {
        struct Errors: Decodable {
            struct Entry: Decodable { var code: String?; var message: String? }
            var errors: [Entry]
        }
        guard let body = try? await response.body.collect(upTo: 64 * 1024),
              let errors = try? JSONDecoder().decode(Errors.self, from: Data(body.readableBytesView)) else { return "" }
        return errors.errors.map { [$0.code, $0.message].compactMap { $0 }.joined(separator: ": ") }.joined(separator: "; ")
    }

    /// A `Location` header made absolute.
    private static func resolve(_ location: String, against base: String) -> String {
        URL(string: location, relativeTo: URL(string: base))?.absoluteString ?? location
    }
}
