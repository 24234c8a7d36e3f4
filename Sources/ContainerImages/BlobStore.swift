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
        if let expected, contains(expected), let size = try? OpenFile(path: path(expected)).size() {
            return (expected, size)
        }
        let temporary = "\(scratch)/blob-\(UUID().uuidString)"
        defer { unlink(temporary) }
        var hashing = HashingSource(source)
        do {
            let file = try OpenFile(path: temporary, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
            try hashing.drain { try file.write($0) }
            try file.sync()
        }
        let digest = try hashing.finish()
        if let expectedSize, expectedSize != hashing.count {
            throw ImageStoreError.sizeMismatch(what: what, expected: expectedSize, actual: hashing.count)
        }
        if let expected, expected != digest {
            throw ImageStoreError.digestMismatch(what: what, expected: expected, actual: digest)
        }
        try DurableFiles.makeDirectory("\(root)/sha256")
        try DurableFiles.rename(temporary, to: path(digest))
        return (digest, hashing.count)
    }
}
