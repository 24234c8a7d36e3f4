import Foundation
import Logging

/// The node's image store under one directory (`<data-dir>/images`):
///
/// ```
/// index.json              references → manifest, config and layer digests (``ImageRecord``s)
/// blobs/sha256/<hex>      manifests, configs and layer blobs, each verified against its digest
/// layers/sha256/<hex>/    each layer unpacked once, keyed by diffID, ready as an overlayfs lower dir
/// tmp/                    work in progress of the current import; emptied by every import and removal
/// lock                    held while the store changes
/// ```
///
/// Every write is atomic (a temporary file or directory renamed into place after it is flushed), so after a
/// crash the store holds the old or the new state plus, at worst, garbage in `tmp/` or unreferenced blobs,
/// which the next import or removal collects. A failed import leaves the store as it was.
public struct ImageStore: Sendable {
    public let root: URL
    let logger: Logger

    /// A store rooted at `root` (created when first written to).
    public init(root: URL, logger: Logger = Logger(label: "skiff.images")) {
        self.root = root
        self.logger = logger
    }

    var blobs: BlobStore { BlobStore(root: root.appendingPathComponent("blobs").path) }
    var indexPath: String { root.appendingPathComponent("index.json").path }
    var layersPath: String { root.appendingPathComponent("layers/sha256").path }
    var scratchPath: String { root.appendingPathComponent("tmp").path }

    // MARK: reading

    /// Every stored image reference, sorted.
    public func list() throws -> [ImageRecord] { try StoreIndex.load(indexPath).images }

    /// The image a reference names, or nil. Accepts `busybox:1.36`, `docker.io/library/busybox:1.36`,
    /// `name@sha256:<manifest>` (the name must match too), and an image ID `sha256:<config>` (or its hex).
    public func resolve(reference: String) throws -> ImageRecord? {
        try matches(reference, in: list()).first
    }

    /// The image's config: Entrypoint, Cmd, Env, WorkingDir, User, ExposedPorts.
    public func config(for image: ImageRecord) throws -> ImageConfig {
        try ImageConfig(json: blobs.read(image.configDigest))
    }

    /// The unpacked layer directories of `image`, lowest first (overlayfs wants them reversed in `lowerdir=`).
    /// Throws if one is missing (the store was tampered with).
    public func layerDirectories(for image: ImageRecord) throws -> [URL] {
        try image.layers.map { layer in
            let path = layerPath(layer.diffID)
            guard FileManager.default.fileExists(atPath: path) else {
                throw ImageStoreError.fileSystem(operation: "find layer", path: path, reason: "not unpacked")
            }
            return URL(fileURLWithPath: path, isDirectory: true)
        }
    }

    func layerPath(_ diffID: Digest) -> String { "\(layersPath)/\(diffID.hex)" }

    // MARK: changing

    /// Imports every image of a docker-archive or oci-archive tarball (optionally gzip-compressed), verifying
    /// every digest, and unpacks layers not already unpacked. Importing the same archive again changes nothing.
    ///
    /// - Parameter defaultName: the name for images the archive does not name, and the repository of OCI ref
    ///   names that are bare tags.
    /// - Returns: one record per imported reference.
    /// - Throws: ``ImageStoreError``; then the store is as it was before.
    @discardableResult
    public func `import`(archive: URL, defaultName: String? = nil) throws -> [ImageRecord] {
        try StoreLock.withLock(try lockPath()) {
            do {
                var index = try StoreIndex.load(indexPath)
                let records = try ImageImport(store: self, index: index).run(archive: archive, defaultName: defaultName)
                return try commit(records, to: &index, verb: "imported")
            } catch {
                try? collectGarbage(keeping: StoreIndex.load(indexPath))
                throw error
            }
        }
    }

    /// Adds `records` to `index`, saves it and collects what no image uses (the work files too); returns the
    /// records as stored. Called under the lock at the end of an import or pull.
    func commit(_ records: [ImageRecord], to index: inout StoreIndex, verb: String) throws -> [ImageRecord] {
        let stored = index.upsert(records)
        try index.save(indexPath)
        try collectGarbage(keeping: index)
        for record in stored { logger.info("\(verb) \(record.reference) (\(record.manifestDigest))") }
        return stored
    }

    /// Removes the references `reference` resolves to (a tag removes one; a digest or image ID removes every
    /// reference to that image), then deletes blobs and layer directories no remaining image uses.
    /// - Returns: the removed records.
    /// - Throws: ``ImageStoreError/notFound(_:)`` when nothing matches.
    @discardableResult
    public func remove(reference: String) throws -> [ImageRecord] {
        try StoreLock.withLock(try lockPath()) {
            var index = try StoreIndex.load(indexPath)
            let removed = try matches(reference, in: index.images)
            guard !removed.isEmpty else { throw ImageStoreError.notFound(reference) }
            index.images.removeAll { record in removed.contains { $0.reference == record.reference } }
            try index.save(indexPath)
            try collectGarbage(keeping: index)
            for record in removed { logger.info("removed \(record.reference)") }
            return removed
        }
    }

    /// Deletes every blob and layer directory `index` does not reference, and everything in `tmp/`.
    /// Layer directories are renamed into `tmp/` first, so none is ever seen half-deleted under its name.
    func collectGarbage(keeping index: StoreIndex) throws {
        var referencedBlobs = Set<Digest>()
        var referencedLayers = Set<Digest>()
        for image in index.images {
            referencedBlobs.formUnion([image.manifestDigest, image.configDigest] + image.layers.map(\.digest))
            referencedLayers.formUnion(image.layers.map(\.diffID))
        }
        let blobDirectory = "\(blobs.root)/sha256"
        for name in DurableFiles.names(in: blobDirectory) where Digest(hex: name).map(referencedBlobs.contains) != true {
            try DurableFiles.remove("\(blobDirectory)/\(name)")
        }
        try DurableFiles.makeDirectory(scratchPath)
        for name in DurableFiles.names(in: layersPath) where Digest(hex: name).map(referencedLayers.contains) != true {
            try DurableFiles.rename("\(layersPath)/\(name)", to: "\(scratchPath)/gc-\(UUID().uuidString)")
        }
        for name in DurableFiles.names(in: scratchPath) {
            try DurableFiles.remove("\(scratchPath)/\(name)")
        }
    }

    func lockPath() throws -> String {
        try DurableFiles.makeDirectory(root.path)
        return root.appendingPathComponent("lock").path
    }

    /// The records a reference names (see ``resolve(reference:)``).
    private func matches(_ reference: String, in images: [ImageRecord]) throws -> [ImageRecord] {
        let id = reference.hasPrefix("sha256:") ? Digest(reference) : Digest(hex: reference)
        if let id {
            return images.filter { $0.configDigest == id || $0.manifestDigest == id || $0.indexDigest == id }
        }
        let parsed = try ImageReference(parsing: reference)
        if let digest = parsed.digest {
            return images.filter {
                ($0.manifestDigest == digest || $0.indexDigest == digest) && $0.parsedReference?.name == parsed.name
            }
        }
        return images.filter { $0.reference == parsed.taggedName }
    }
}
