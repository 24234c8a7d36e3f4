import AsyncHTTPClient
import Foundation

/// One run of ``ImageStore/pull(reference:credentials:policy:)`` under the store lock: the manifest resolved
/// (through an index to this machine's platform), the config and missing layer blobs downloaded and verified
/// into the store, then unpacked by ``ImageImport`` as imported images are. The caller writes the index (and
/// collects garbage if this throws).
struct ImagePull {
    let store: ImageStore
    let reference: ImageReference
    let client: RegistryClient

    /// A manifest or index as fetched, verified.
    private struct Fetched {
        var data: Data
        var digest: Digest
        var mediaType: String
    }

    /// Config blobs larger than this are refused (they are read whole).
    static let maximumConfigSize: Int64 = 16 << 20

    func run(index: StoreIndex) async throws -> [ImageRecord] {
        try await client.ping()
        let top = try await manifest(reference.digest?.description ?? reference.tag ?? "latest",
                                     expected: reference.digest, expectedSize: nil)
        var chosen = top
        var indexDigest: Digest?
        if MediaType.isIndex(top.mediaType) {
            let list = try decode(ImageIndex.self, top.data, what: "image index \(top.digest)")
            guard let entry = list.hostManifest else {
                throw ImageStoreError.unsupported("\(reference) has no image for linux/\(Platform.hostArchitecture)")
            }
            chosen = try await manifest(entry.digest.description, expected: entry.digest, expectedSize: entry.size)
            guard !MediaType.isIndex(chosen.mediaType) else {
                throw ImageStoreError.unsupported("\(reference): nested image index \(chosen.digest)")
            }
            indexDigest = top.digest
        }
        let manifest = try decode(Manifest.self, chosen.data, what: "manifest \(chosen.digest)")

        let work = ImageImport(store: store, index: index)
        try work.prepare()
        let config = try await configBlob(manifest.config, scratch: work.work)
        _ = try ImageImport.diffIDs(config: config, layerCount: manifest.layers.count)
        var layers: [(digest: Digest, size: Int64)] = []
        for layer in manifest.layers {
            layers.append(try await blob(layer, scratch: work.work))
        }
        let key = reference.digest.map { "\(reference.name)@\($0)" } ?? reference.taggedName ?? reference.description
        return try work.records(references: [key], manifest: chosen.data, config: config, layers: layers,
                                indexDigest: indexDigest)
    }

    /// Fetches a manifest or index and checks it: it hashes to `expected` (a digest reference, or an index
    /// entry) and to the `Docker-Content-Digest` header when there is one, and has `expectedSize` bytes.
    /// Its type is the body's `mediaType`, else the `Content-Type`; Docker schema 1 is refused.
    private func manifest(_ tagOrDigest: String, expected: Digest?, expectedSize: Int64?) async throws -> Fetched {
        let (data, contentType, digestHeader) = try await client.manifest(tagOrDigest)
        let what = "manifest \(reference.name):\(tagOrDigest)"
        let digest = Digest.of(data)
        if let expected, expected != digest {
            throw ImageStoreError.digestMismatch(what: what, expected: expected, actual: digest)
        }
        if let expectedSize, expectedSize != Int64(data.count) {
            throw ImageStoreError.sizeMismatch(what: what, expected: expectedSize, actual: Int64(data.count))
        }
        if let digestHeader, digestHeader.hasPrefix("sha256:") {
            guard let declared = Digest(digestHeader), declared == digest else {
                throw ImageStoreError.digestMismatch(what: "\(what) (Docker-Content-Digest \(digestHeader))",
                                                     expected: Digest(digestHeader) ?? digest, actual: digest)
            }
        }
        let probe = try decode(MediaTypeOnly.self, data, what: what)
        let headerType = contentType.map { $0.split(separator: ";")[0].trimmingCharacters(in: .whitespaces) }
        var mediaType = probe.mediaType ?? headerType ?? ""
        if !MediaType.isIndex(mediaType), mediaType != MediaType.ociManifest, mediaType != MediaType.dockerManifest {
            // A generic Content-Type (application/json): tell by shape.
            mediaType = probe.manifests != nil ? MediaType.ociIndex : MediaType.ociManifest
            if MediaType.dockerSchema1.contains(probe.mediaType ?? headerType ?? "") {
                throw ImageStoreError.unsupported("\(what) is a Docker schema 1 manifest")
            }
        }
        return Fetched(data: data, digest: digest, mediaType: mediaType)
    }

    /// The config blob, from the store or downloaded (at most ``maximumConfigSize``), verified.
    private func configBlob(_ descriptor: Descriptor, scratch: String) async throws -> Data {
        guard descriptor.size <= Self.maximumConfigSize else {
            throw ImageStoreError.unsupported("image config \(descriptor.digest) of \(descriptor.size) bytes")
        }
        _ = try await blob(descriptor, scratch: scratch)
        return try store.blobs.read(descriptor.digest)
    }

    /// Makes sure the blob is in the store: present already, or streamed from the registry through SHA-256
    /// into the store, which names it only when digest and size match the descriptor.
    private func blob(_ descriptor: Descriptor, scratch: String) async throws -> (digest: Digest, size: Int64) {
        if let present = store.blobs.present(descriptor.digest) { return present }
        let what = "blob \(reference.name)@\(descriptor.digest)"
        let response = try await client.blob(descriptor.digest)
        let writer = try BlobWriter(blobs: store.blobs, scratch: scratch)
        do {
            for try await chunk in response.body {
                try chunk.withUnsafeReadableBytes { try writer.write($0) }
                if writer.count > descriptor.size { break }  // Longer than declared: stop reading.
            }
        } catch let error as ImageStoreError {
            throw error
        } catch {
            throw ImageStoreError.network(url: client.endpoint.url("/v2/\(reference.path)/blobs/\(descriptor.digest)"),
                                          reason: "\(error)")
        }
        return try writer.commit(expected: descriptor.digest, expectedSize: descriptor.size, what: what)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ data: Data, what: String) throws -> T {
        do { return try JSONDecoder().decode(type, from: data) } catch {
            throw ImageStoreError.invalidResponse(url: client.endpoint.url("/v2/\(reference.path)/"),
                                                  reason: "\(what) does not decode: \(error)")
        }
    }
}
