import Foundation

/// One layer of a stored image.
public struct LayerRecord: Sendable, Equatable, Codable {
    /// The digest of the layer blob as stored (compressed or not).
    public var digest: Digest
    /// The digest of the uncompressed tar: the key of the unpacked directory.
    public var diffID: Digest
    public var mediaType: String
    /// The blob's size in bytes.
    public var size: Int64
}

/// A stored image under one reference. An image tagged twice has two records with the same ``manifestDigest``.
public struct ImageRecord: Sendable, Equatable, Codable {
    /// The normalised `name:tag`, e.g. `docker.io/library/busybox:1.36`; `name@sha256:…` for an image pulled
    /// by digest.
    public var reference: String
    /// The digest of the image manifest (for a docker-archive, of the OCI manifest the store wrote for it).
    public var manifestDigest: Digest
    /// The digest of the image config: the image ID that `crictl images` shows.
    public var configDigest: Digest
    /// Lowest layer first.
    public var layers: [LayerRecord]
    public var importedAt: Date
    /// The digest of the image index (or manifest list) the manifest was chosen from, when the image was pulled
    /// through one: what the registry's tag pointed at, and what `name@sha256:…` usually names.
    public var indexDigest: Digest? = nil

    /// The image ID, as Docker and CRI name it.
    public var id: Digest { configDigest }

    /// The sum of the layer blobs' sizes.
    public var size: Int64 { layers.reduce(0) { $0 + $1.size } }

    /// The reference parsed (it was normalised when stored, so this does not fail for stored records).
    public var parsedReference: ImageReference? { try? ImageReference(parsing: reference) }

    /// `name@sha256:…`: the reference by digest (of the index when pulled through one, else of the manifest),
    /// as a pod status's `imageID` shows it.
    public var digestReference: String {
        "\(parsedReference?.name ?? reference)@\(indexDigest ?? manifestDigest)"
    }
}

/// The store's `index.json`: every record, sorted by reference.
struct StoreIndex: Codable {
    var version = 1
    var images: [ImageRecord] = []

    /// Reads the index at `path`; a missing file is an empty index.
    static func load(_ path: String) throws -> StoreIndex {
        guard let data = FileManager.default.contents(atPath: path) else { return StoreIndex() }
        do { return try decoder.decode(StoreIndex.self, from: data) } catch {
            throw ImageStoreError.fileSystem(operation: "decode", path: path, reason: "\(error)")
        }
    }

    /// Writes the index atomically.
    func save(_ path: String) throws {
        var sorted = self
        sorted.images.sort { $0.reference < $1.reference }
        try DurableFiles.write(try StoreIndex.encoder.encode(sorted), to: path)
    }

    /// Adds or replaces records by reference; a record for the same reference and manifest keeps its import date.
    /// Returns the records as stored.
    mutating func upsert(_ records: [ImageRecord]) -> [ImageRecord] {
        records.map { record in
            if let index = images.firstIndex(where: { $0.reference == record.reference }) {
                if images[index].manifestDigest == record.manifestDigest { return images[index] }
                images[index] = record
            } else {
                images.append(record)
            }
            return record
        }
    }

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }()
}
