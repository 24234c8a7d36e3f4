import Foundation

/// One image found in an archive: its names and where its manifest, config and layers are.
struct ArchiveImage {
    struct Layer {
        /// The member holding the layer blob.
        var member: String
        /// The blob digest the manifest declares (OCI); nil when the archive does not say (docker-archive).
        var digest: Digest?
        var size: Int64?
    }

    /// Normalised `name:tag` references.
    var references: [String]
    /// The manifest as stored in the archive, already verified against its digest; nil for docker-archive,
    /// whose manifest the store writes itself.
    var manifest: Data?
    var configMember: String
    var configDigest: Digest?
    var layers: [Layer]
}

/// Reads the image list of an archive: an oci-archive (`oci-layout`, `index.json`, `blobs/sha256/…`) or a
/// docker-archive (`manifest.json` naming `<config>.json` and layer tars). When both are present (Docker 25+
/// writes both), the OCI layout wins.
enum ImageArchive {
    /// The images in `archive`. `defaultName` names images the archive leaves unnamed and, for OCI ref names
    /// that are bare tags (`1.36`), is the repository they belong to.
    static func images(in archive: ArchiveMembers, defaultName: String?) throws -> [ArchiveImage] {
        if archive.contains("oci-layout"), archive.contains("index.json") {
            return try ociImages(archive, defaultName: defaultName)
        }
        if archive.contains("manifest.json") {
            return try dockerImages(archive, defaultName: defaultName)
        }
        throw ImageStoreError.invalidArchive("neither an oci-archive (oci-layout, index.json) nor a docker-archive (manifest.json)")
    }

    // MARK: oci-archive

    private static func ociImages(_ archive: ArchiveMembers, defaultName: String?) throws -> [ArchiveImage] {
        let index = try JSONDecoder.decodeArchiveJSON(ImageIndex.self, from: archive.read("index.json"), file: "index.json")
        var images: [ArchiveImage] = []
        for descriptor in index.manifests {
            guard let name = try ociName(descriptor.annotations ?? [:], defaultName: defaultName) else {
                throw ImageStoreError.invalidArchive("image \(descriptor.digest) has no name (annotation \(Annotation.containerdName)); give one")
            }
            let (manifestData, manifest) = try platformManifest(archive, descriptor)
            images.append(ArchiveImage(
                references: [name],
                manifest: manifestData,
                configMember: blobMember(manifest.config.digest),
                configDigest: manifest.config.digest,
                layers: manifest.layers.map { .init(member: blobMember($0.digest), digest: $0.digest, size: $0.size) }))
        }
        return images
    }

    /// Follows `descriptor` to an image manifest, through an index to this machine's platform if need be.
    private static func platformManifest(_ archive: ArchiveMembers, _ descriptor: Descriptor) throws -> (Data, Manifest) {
        var descriptor = descriptor
        for _ in 0..<4 {
            let data = try verifiedBlob(archive, descriptor)
            let probe = try JSONDecoder.decodeArchiveJSON(MediaTypeOnly.self, from: data, file: blobMember(descriptor.digest))
            let isIndex = MediaType.isIndex(probe.mediaType ?? descriptor.mediaType) || (probe.mediaType == nil && probe.manifests != nil)
            guard isIndex else {
                return (data, try JSONDecoder.decodeArchiveJSON(Manifest.self, from: data, file: blobMember(descriptor.digest)))
            }
            let nested = try JSONDecoder.decodeArchiveJSON(ImageIndex.self, from: data, file: blobMember(descriptor.digest))
            guard let match = nested.hostManifest else {
                throw ImageStoreError.invalidArchive("image index \(descriptor.digest) has no manifest for linux/\(Platform.hostArchitecture)")
            }
            descriptor = match
        }
        throw ImageStoreError.invalidArchive("image indexes nested too deep at \(descriptor.digest)")
    }

    /// A small blob's content, checked against the descriptor's digest and size.
    private static func verifiedBlob(_ archive: ArchiveMembers, _ descriptor: Descriptor) throws -> Data {
        let member = blobMember(descriptor.digest)
        let data = try archive.read(member)
        let actual = Digest.of(data)
        guard actual == descriptor.digest else {
            throw ImageStoreError.digestMismatch(what: member, expected: descriptor.digest, actual: actual)
        }
        guard Int64(data.count) == descriptor.size else {
            throw ImageStoreError.sizeMismatch(what: member, expected: descriptor.size, actual: Int64(data.count))
        }
        return data
    }

    /// The reference an OCI index entry names, normalised.
    private static func ociName(_ annotations: [String: String], defaultName: String?) throws -> String? {
        if let full = annotations[Annotation.containerdName] { return try normalised(full) }
        guard let refName = annotations[Annotation.refName] else { return try defaultName.map(normalised) }
        if refName.contains("/") || refName.contains(":") { return try normalised(refName) }
        guard let defaultName else { return nil }
        return try normalised("\(ImageReference(parsing: defaultName).name):\(refName)")
    }

    private static func blobMember(_ digest: Digest) -> String { "blobs/sha256/\(digest.hex)" }

    // MARK: docker-archive

    private static func dockerImages(_ archive: ArchiveMembers, defaultName: String?) throws -> [ArchiveImage] {
        let entries = try JSONDecoder.decodeArchiveJSON([DockerArchiveEntry].self, from: archive.read("manifest.json"), file: "manifest.json")
        return try entries.map { entry in
            var references = try (entry.repoTags ?? []).map(normalised)
            if references.isEmpty, let defaultName { references = [try normalised(defaultName)] }
            guard !references.isEmpty else {
                throw ImageStoreError.invalidArchive("image \(entry.config) has no RepoTags; give it a name")
            }
            // Docker names the config after its digest (`<hex>.json` or `blobs/sha256/<hex>`): check it when it does.
            let stem = ((entry.config as NSString).lastPathComponent as NSString).deletingPathExtension
            return ArchiveImage(
                references: references,
                manifest: nil,
                configMember: entry.config,
                configDigest: Digest(hex: stem),
                layers: entry.layers.map { .init(member: $0, digest: nil, size: nil) })
        }
    }

    private static func normalised(_ reference: String) throws -> String {
        let parsed = try ImageReference(parsing: reference)
        guard let tagged = parsed.taggedName else { throw ImageStoreError.invalidReference(reference) }
        return tagged
    }
}

/// Just the media type of a manifest or index, to tell which it is.
struct MediaTypeOnly: Decodable {
    var mediaType: String?
    var manifests: [Descriptor]?
}

/// The platform this process runs on, in OCI terms.
enum Platform {
    static var hostArchitecture: String {
        #if arch(x86_64)
        return "amd64"
        #elseif arch(arm64)
        return "arm64"
        #else
        return "unknown"
        #endif
    }

    static func matchesHost(_ platform: Descriptor.Platform) -> Bool {
        platform.os == "linux" && platform.architecture == hostArchitecture
    }
}
