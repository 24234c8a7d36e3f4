/// Reads tar members (ustar, pax and GNU formats) one by one from a ``ByteSource``.
///
/// After ``next()`` returns an entry, its content may be read with ``readContent(_:)`` or ``readAll(limit:)``;
/// whatever is left unread is skipped by the next call to ``next()``. The stream ends at the first zero block
/// (or at end of input). ``position`` counts the bytes consumed, so a caller reading a whole file can note where
/// each member's content starts.
struct TarReader {
    private var source: any ByteSource
    /// Bytes consumed from the source so far.
    private(set) var position: Int64 = 0
    private var contentLeft: Int64 = 0
    private var paddingLeft: Int64 = 0

    init(_ source: any ByteSource) { self.source = source }

    /// The next member, or nil at the end of the archive.
    mutating func next() throws -> TarEntry? {
        try skipRest()
        var overrides = PaxRecords()
        while true {
            guard let header = try readBlock() else { return nil }
            if header.allSatisfy({ $0 == 0 }) { return nil }
            try TarHeader.verifyChecksum(header)
            let type = header[156]
            let size = try TarHeader.number(header, 124, 12)
            switch type {
            case UInt8(ascii: "x"):
                overrides.merge(try PaxRecords(parsing: readExtension(size: size)))
            case UInt8(ascii: "g"):
                _ = try readExtension(size: size)  // Global defaults: not used by image layers.
            case UInt8(ascii: "L"):
                overrides.path = TarHeader.string(try readExtension(size: size))
            case UInt8(ascii: "K"):
                overrides.linkPath = TarHeader.string(try readExtension(size: size))
            default:
                var entry = try TarHeader.entry(header, type: type, size: size)
                overrides.apply(to: &entry)
                // As in Go's archive/tar, only regular files carry content; other types' sizes are ignored.
                if entry.kind != .file { entry.size = 0 }
                contentLeft = entry.size
                paddingLeft = TarReader.padding(after: entry.size)
                return entry
            }
        }
    }

    /// Reads up to `buffer.count` bytes of the current member's content; 0 at its end.
    mutating func readContent(_ buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard contentLeft > 0 else { return 0 }
        let wanted = Int(min(Int64(buffer.count), contentLeft))
        let read = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<wanted]))
        guard read > 0 else { throw ImageStoreError.invalidTar("member content truncated") }
        contentLeft -= Int64(read)
        position += Int64(read)
        return read
    }

    /// The current member's whole content; throws if it is larger than `limit` bytes (for JSON files).
    mutating func readAll(limit: Int64 = 16 << 20) throws -> [UInt8] {
        guard contentLeft <= limit else { throw ImageStoreError.invalidArchive("member of \(contentLeft) bytes is too large") }
        var bytes = [UInt8](repeating: 0, count: Int(contentLeft))
        var filled = 0
        while filled < bytes.count {
            filled += try bytes.withUnsafeMutableBytes {
                try readContent(UnsafeMutableRawBufferPointer(rebasing: $0[filled...]))
            }
        }
        return bytes
    }

    private mutating func skipRest() throws {
        let count = contentLeft + paddingLeft
        guard count > 0 else { return }
        try source.skip(count)
        position += count
        contentLeft = 0
        paddingLeft = 0
    }

    /// Reads an extension header's content (pax records, a GNU long name) and its padding.
    private mutating func readExtension(size: Int64) throws -> [UInt8] {
        contentLeft = size
        paddingLeft = TarReader.padding(after: size)
        let bytes = try readAll(limit: 1 << 20)
        try skipRest()
        return bytes
    }

    /// One 512-byte block; nil at a clean end of input.
    private mutating func readBlock() throws -> [UInt8]? {
        var block = [UInt8](repeating: 0, count: 512)
        var filled = 0
        while filled < 512 {
            let read = try block.withUnsafeMutableBytes {
                try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...]))
            }
            if read == 0 {
                if filled == 0 { return nil }
                throw ImageStoreError.invalidTar("truncated header")
            }
            filled += read
        }
        position += 512
        return block
    }

    private static func padding(after size: Int64) -> Int64 { (512 - size % 512) % 512 }
}
