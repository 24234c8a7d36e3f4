import Foundation

/// One run of ``ImageStore/import(archive:defaultName:)`` (or the unpacking part of a pull), under the store lock: blobs verified into the store,
/// layers unpacked, records built. The caller writes the index (and collects garbage if this throws).
struct ImageImport {
    let store: ImageStore
    /// This run's directory under the store's `tmp/` (created by ``run(archive:defaultName:)`` or ``prepare()``).
    let work: String
    /// (blob, diffID) pairs of stored images: already checked, so an unpacked layer they name can be reused.
    private let checkedLayers: Set<[Digest]>

    init(store: ImageStore, index: StoreIndex) {
        self.store = store
        self.work = "\(store.scratchPath)/import-\(UUID().uuidString)"
        self.checkedLayers = Set(index.images.flatMap { $0.layers.map { [$0.digest, $0.diffID] } })
    }

    /// Creates the work directory.
    func prepare() throws { try DurableFiles.makeDirectory(work) }

    func run(archive: URL, defaultName: String?) throws -> [ImageRecord] {
        try prepare()
        let members = try ArchiveMembers(path: uncompressed(archive))
        let images = try ImageArchive.images(in: members, defaultName: defaultName)
        guard !images.isEmpty else { throw ImageStoreError.invalidArchive("\(archive.path) holds no image") }
        return try images.flatMap { try store($0, from: members) }
    }

    /// The archive itself, or its decompression into the work directory when it is gzip-compressed.
    private func uncompressed(_ archive: URL) throws -> String {
        let file = try OpenFile(path: archive.path)
        switch try Compression.detect(file) {
        case .none: return archive.path
        case .zstd: throw ImageStoreError.unsupported("zstd-compressed archive \(archive.path)")
        case .gzip:
            let path = "\(work)/archive.tar"
            var source = try GzipSource(path: archive.path)
            let output = try OpenFile(path: path, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o600)
            try source.drain { try output.write($0) }
            return path
        }
    }

    private func store(_ image: ArchiveImage, from members: ArchiveMembers) throws -> [ImageRecord] {
        let configData = try members.read(image.configMember)
        try store.blobs.ingest(configData, expected: image.configDigest, what: image.configMember)
        _ = try Self.diffIDs(config: configData, layerCount: image.layers.count)
        let blobs = try image.layers.map { layer in
            try store.blobs.ingest(try members.open(layer.member), expected: layer.digest,
                                   expectedSize: layer.size, what: layer.member, scratch: work)
        }
        return try records(references: image.references, manifest: image.manifest, config: configData, layers: blobs)
    }

    /// The records of an image whose config and layer blobs are in the store (lowest layer first): unpacks
    /// each layer (see ``unpack(_:diffID:)``) and stores `manifest`, already verified by the caller, or, when
    /// nil, an OCI manifest written for the image. Imports and pulls both end here.
    func records(references: [String], manifest: Data?, config configData: Data,
                 layers blobs: [(digest: Digest, size: Int64)], indexDigest: Digest? = nil) throws -> [ImageRecord] {
        let diffIDs = try Self.diffIDs(config: configData, layerCount: blobs.count)
        var layers: [LayerRecord] = []
        for (blob, diffID) in zip(blobs, diffIDs) {
            let mediaType = try unpack(blob.digest, diffID: diffID)
            layers.append(LayerRecord(digest: blob.digest, diffID: diffID, mediaType: mediaType, size: blob.size))
        }
        let manifestData = try manifest ?? ImageImport.manifest(config: configData, layers: layers)
        let manifestDigest = try store.blobs.ingest(manifestData, expected: nil, what: "manifest")
        let configDigest = Digest.of(configData)
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))  // As the index keeps it.
        return references.map {
            ImageRecord(reference: $0, manifestDigest: manifestDigest, configDigest: configDigest,
                        layers: layers, importedAt: now, indexDigest: indexDigest)
        }
    }

    /// The config's diffIDs, which must be one per layer of the manifest.
    static func diffIDs(config: Data, layerCount: Int) throws -> [Digest] {
        let diffIDs = try ImageConfig(json: config).diffIDs
        guard diffIDs.count == layerCount else {
            throw ImageStoreError.invalidArchive("config \(Digest.of(config)) lists \(diffIDs.count) layers, the manifest \(layerCount)")
        }
        return diffIDs
    }

    /// Unpacks the layer blob into `layers/sha256/<diffID>` unless it is there, checking that the uncompressed
    /// tar hashes to `diffID` (also when the directory is there, unless a stored image vouches for the pair).
    /// Returns the blob's OCI media type.
    private func unpack(_ blob: Digest, diffID: Digest) throws -> String {
        let blobPath = store.blobs.path(blob)
        let compression = try Compression.detect(OpenFile(path: blobPath))
        let mediaType = compression == .gzip ? MediaType.ociLayerGzip : MediaType.ociLayer
        let destination = store.layerPath(diffID)
        if FileManager.default.fileExists(atPath: destination) {
            if blob != diffID, !checkedLayers.contains([blob, diffID]) {
                try check(HashingSource(LayerStream.open(path: blobPath)), blob: blob, diffID: diffID)
            }
            return mediaType
        }

        let staging = "\(work)/layer-\(diffID.hex)"
        try DurableFiles.makeDirectory(staging)
        let hashing = HashingSource(try LayerStream.open(path: blobPath))
        var reader = TarReader(hashing)
        var unpacker = LayerUnpacker(root: URL(fileURLWithPath: staging))
        try unpacker.unpack(&reader)
        try check(hashing, blob: blob, diffID: diffID)
        try unpacker.finish()
        if unpacker.skippedDevices > 0 {
            store.logger.warning("layer \(diffID): \(unpacker.skippedDevices) device nodes skipped (not root)")
        }
        try DurableFiles.makeDirectory(store.layersPath)
        try DurableFiles.rename(staging, to: destination)
        return mediaType
    }

    /// Reads the rest of `uncompressed` and checks that all of it hashed to `diffID`.
    private func check(_ uncompressed: HashingSource, blob: Digest, diffID: Digest) throws {
        let actual = try uncompressed.finish()
        guard actual == diffID else {
            throw ImageStoreError.digestMismatch(what: "uncompressed layer \(blob)", expected: diffID, actual: actual)
        }
    }

    /// The OCI manifest the store writes for a docker-archive image (which carries none), with sorted keys so
    /// that importing the same archive again yields the same digest.
    static func manifest(config: Data, layers: [LayerRecord]) throws -> Data {
        let manifest = Manifest(
            schemaVersion: 2,
            mediaType: MediaType.ociManifest,
            config: Descriptor(mediaType: MediaType.ociConfig, digest: Digest.of(config), size: Int64(config.count)),
            layers: layers.map { Descriptor(mediaType: $0.mediaType, digest: $0.digest, size: $0.size) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(manifest)
    }
}
