import Foundation

/// OCI (and Docker schema 2) media types the store reads or writes.
enum MediaType {
    static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    static let ociIndex = "application/vnd.oci.image.index.v1+json"
    static let ociConfig = "application/vnd.oci.image.config.v1+json"
    static let ociLayer = "application/vnd.oci.image.layer.v1.tar"
    static let ociLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip"
    static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    /// Docker schema 1 (signed and not): refused, as containerd does by default.
    static let dockerSchema1 = ["application/vnd.docker.distribution.manifest.v1+prettyjws",
                                "application/vnd.docker.distribution.manifest.v1+json"]

    static func isIndex(_ type: String?) -> Bool { type == ociIndex || type == dockerManifestList }
}

/// An OCI content descriptor: what a blob is, its digest and size.
struct Descriptor: Codable, Equatable {
    struct Platform: Codable, Equatable {
        var architecture: String
        var os: String
        var variant: String?
    }

    var mediaType: String?
    var digest: Digest
    var size: Int64
    var annotations: [String: String]?
    var platform: Platform?
}

/// An image manifest (OCI or Docker schema 2, which share this shape).
struct Manifest: Codable, Equatable {
    var schemaVersion: Int
    var mediaType: String?
    var config: Descriptor
    var layers: [Descriptor]
}

/// An image index (OCI) or manifest list (Docker): `index.json` of an OCI layout, or a multi-platform image.
struct ImageIndex: Decodable {
    var mediaType: String?
    var manifests: [Descriptor]

    /// The first entry for this machine's platform (linux and the host architecture); entries without a
    /// platform match any.
    var hostManifest: Descriptor? { manifests.first { $0.platform.map(Platform.matchesHost) ?? true } }
}

/// One entry of a docker-archive's `manifest.json`.
struct DockerArchiveEntry: Decodable {
    var config: String
    var repoTags: [String]?
    var layers: [String]

    enum CodingKeys: String, CodingKey {
        case config = "Config", repoTags = "RepoTags", layers = "Layers"
    }
}

/// Annotations that name an image in an OCI layout's index.
enum Annotation {
    /// containerd's full image name, `docker.io/library/busybox:1.36`.
    static let containerdName = "io.containerd.image.name"
    /// The OCI ref name: usually just a tag (`1.36`), sometimes a full reference.
    static let refName = "org.opencontainers.image.ref.name"
}

extension JSONDecoder {
    /// Decodes `type` from an archive file, naming the file when it fails.
    static func decodeArchiveJSON<T: Decodable>(_ type: T.Type, from data: Data, file: String) throws -> T {
        do { return try JSONDecoder().decode(type, from: data) } catch {
            throw ImageStoreError.invalidArchive("\(file) does not decode: \(error)")
        }
    }
}
