import Crypto
import Foundation

/// Content-addressed blobs: `<root>/sha256/<hex>`, each one verified against its digest before it gets its name.
struct BlobStore {
    /// The `blobs` directory.
    let root: String

    func path(_ digest: Digest) -> String { "\(root)/sha256/\(digest.hex)" }

    func contains(_ digest: Digest) -> Bool { FileManager.default.fileExists(atPath: path(digest)) }

    /// Every blob present.
    func all() -> [Digest] { DurableFiles.names(in: "\(root)/sha256").compactMap { Digest(hex: $0) } }

    /// Reads a (small) blob whole.
    func read(_ digest: Digest) throws -> Data {
        var slice = try FileSlice(file: OpenFile(path: path(digest)))
        var data = Data()
        try slice.drain { data.append(contentsOf: $0) }
        return data
    }

    /// Stores `data`, which must hash to `expected` when one is given; returns its digest.
    @discardableResult
    func ingest(_ data: Data, expected: Digest?, what: String) throws -> Digest {
        let digest = Digest.of(data)
        if let expected, expected != digest {
            throw ImageStoreError.digestMismatch(what: what, expected: expected, actual: digest)
        }
        if !contains(digest) {
            try DurableFiles.makeDirectory("\(root)/sha256")
            try DurableFiles.write(data, to: path(digest))
        }
        return digest
    }

    /// Copies `source` into the store, hashing it on the way; the copy gets its name only if it hashes to
    /// `expected` (when given) and has `expectedSize` bytes (when given). A blob already present is not copied
    /// again when its digest is known in advance. Returns the digest and size.
    func ingest(_ source: any ByteSource, expected: Digest?, expectedSize: Int64?, what: String,
                scratch: String) throws -> (digest: Digest, size: Int64) {
        if let present = present(expected) { return present }
        let writer = try BlobWriter(blobs: self, scratch: scratch)
        var source = source
        try source.drain { try writer.write($0) }
        return try writer.commit(expected: expected, expectedSize: expectedSize, what: what)
    }

    /// The digest and size of the blob `expected` names, when it is present.
    func present(_ expected: Digest?) -> (digest: Digest, size: Int64)? {
        guard let expected, contains(expected), let size = try? OpenFile(path: path(expected)).size() else { return nil }
        return (expected, size)
    }
}

/// A blob being written: bytes go to a temporary file in the scratch directory and through SHA-256; ``commit``
/// names it after its digest once it is verified. An uncommitted blob's file is removed when the writer goes.
final class BlobWriter {
    private let blobs: BlobStore
    private let temporary: String
    private let file: OpenFile
    private var hasher = SHA256()
    private(set) var count: Int64 = 0

    init(blobs: BlobStore, scratch: String) throws {
        self.blobs = blobs
        self.temporary = "\(scratch)/blob-\(UUID().uuidString)"
        self.file = try OpenFile(path: temporary, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
    }

    deinit { unlink(temporary) }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        hasher.update(bufferPointer: bytes)
        count += Int64(bytes.count)
        try file.write(bytes)
    }

    /// Flushes the blob and names it after its digest, if it hashes to `expected` and has `expectedSize` bytes
    /// (each when given). Returns the digest and size.
    func commit(expected: Digest?, expectedSize: Int64?, what: String) throws -> (digest: Digest, size: Int64) {
        try file.sync()
        let digest = Digest(finishing: hasher.finalize())
        if let expectedSize, expectedSize != count {
            throw ImageStoreError.sizeMismatch(what: what, expected: expectedSize, actual: count)
        }
        if let expected, expected != digest {
            throw ImageStoreError.digestMismatch(what: what, expected: expected, actual: digest)
        }
        try DurableFiles.makeDirectory("\(blobs.root)/sha256")
        try DurableFiles.rename(temporary, to: blobs.path(digest))
        return (digest, count)
    }
}
