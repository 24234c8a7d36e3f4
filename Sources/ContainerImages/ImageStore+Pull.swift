import AsyncHTTPClient
import Foundation

/// When a pull asks the registry, as a container's `imagePullPolicy` says.
public enum PullPolicy: String, Sendable {
    /// Always resolve the reference at the registry (blobs already stored are not downloaded again).
    case always = "Always"
    /// Use the stored image when the reference resolves in the store; pull otherwise.
    case ifNotPresent = "IfNotPresent"
    /// Never contact a registry: the image must be stored.
    case never = "Never"
}

extension ImageStore {
    /// Pulls an image from its registry (OCI distribution protocol) into the store, as an import would store
    /// it: manifest, config and layer blobs verified against their digests, layers unpacked once.
    ///
    /// - The tag (or digest) is resolved with `Accept` for OCI and Docker schema 2 manifests and indexes; an
    ///   index yields the manifest for linux and this machine's architecture. Every manifest must hash to the
    ///   registry's `Docker-Content-Digest`, to the reference's digest when it has one, and to its index entry.
    /// - Blobs already in the store are not downloaded again; others are streamed through SHA-256 and named
    ///   only when digest and size match.
    /// - Plain HTTP is used only for loopback registries (`localhost`, `127.0.0.0/8`, `[::1]`); HTTPS otherwise.
    /// - `credentials` (a `kubernetes.io/dockerconfigjson` secret's content) are sent when the registry asks:
    ///   as HTTP Basic, or to the token realm of a Bearer challenge.
    ///
    /// The image is stored under `name:tag`, or `name@sha256:…` when the reference has a digest.
    ///
    /// - Returns: the stored record.
    /// - Throws: ``ImageStoreError`` (``ImageStoreError/registry(url:status:detail:)`` for a 404 and other
    ///   refusals, ``ImageStoreError/unauthorized(registry:reason:)``, ``ImageStoreError/digestMismatch(what:expected:actual:)`` …);
    ///   then the store is as it was before. With policy ``PullPolicy/never`` and no stored image,
    ///   ``ImageStoreError/notFound(_:)``.
    @discardableResult
    public func pull(reference: String, credentials: DockerConfigCredentials = .none,
                     policy: PullPolicy = .always) async throws -> ImageRecord {
        let parsed = try ImageReference(parsing: reference)
        if policy != .always, let stored = try resolve(reference: parsed.description) { return stored }
        guard policy != .never else { throw ImageStoreError.notFound(parsed.description) }

        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(15), read: .seconds(60))))
        let client = RegistryClient(reference: parsed, credentials: credentials.credentials(forRegistry: parsed.domain), http: http)
        do {
            let record = try await StoreLock.withLock(try lockPath()) {
                do {
                    var index = try StoreIndex.load(indexPath)
                    let records = try await ImagePull(store: self, reference: parsed, client: client).run(index: index)
                    return try commit(records, to: &index, verb: "pulled")[0]
                } catch {
                    try? collectGarbage(keeping: StoreIndex.load(indexPath))
                    throw error
                }
            }
            try? await http.shutdown()
            return record
        } catch {
            try? await http.shutdown()
            throw error
        }
    }
}
