import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A forward-only stream of bytes: a file, a slice of a file, a decompressor's output.
protocol ByteSource {
    /// Reads up to `buffer.count` bytes into `buffer`; returns how many, 0 only at the end.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Skips `count` bytes; throws if the stream ends first.
    mutating func skip(_ count: Int64) throws
}

extension ByteSource {
    mutating func skip(_ count: Int64) throws {
        var remaining = count
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 1)
        defer { buffer.deallocate() }
        while remaining > 0 {
            let chunk = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<Int(min(Int64(buffer.count), remaining))])
            let read = try self.read(into: chunk)
            guard read > 0 else { throw ImageStoreError.invalidTar("stream ended \(remaining) bytes early") }
            remaining -= Int64(read)
        }
    }

    /// Reads the stream to its end, passing each chunk to `body`; returns the number of bytes.
    @discardableResult
    mutating func drain(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int64 {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 1)
        defer { buffer.deallocate() }
        var total: Int64 = 0
        while true {
            let read = try self.read(into: buffer)
            if read == 0 { return total }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<read]))
            total += Int64(read)
        }
    }
}

/// `length` bytes of an open file from `offset` on, read with `pread` (so slices of one file are independent).
struct FileSlice: ByteSource {
    let file: OpenFile
    private(set) var offset: Int64
    private(set) var remaining: Int64

    init(file: OpenFile, offset: Int64 = 0, length: Int64? = nil) throws {
        self.file = file
        self.offset = offset
        self.remaining = try length ?? (file.size() - offset)
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard remaining > 0, let base = buffer.baseAddress else { return 0 }
        let wanted = Int(min(Int64(buffer.count), remaining))
        while true {
            let read = pread(file.descriptor, base, wanted, off_t(offset))
            if read < 0 {
                if errno == EINTR { continue }
                throw ImageStoreError.posix("read", file.path)
            }
            guard read > 0 else {
                throw ImageStoreError.invalidArchive("\(file.path) ends \(remaining) bytes early")
            }
            offset += Int64(read)
            remaining -= Int64(read)
            return read
        }
    }

    mutating func skip(_ count: Int64) throws {
        guard count <= remaining else { throw ImageStoreError.invalidTar("stream ended \(count - remaining) bytes early") }
        offset += count
        remaining -= count
    }
}

/// Passes another source through, hashing and counting every byte read. A class, so that a reader it is
/// handed to and its owner see the same stream.
final class HashingSource: ByteSource {
    private var base: any ByteSource
    private var hasher = SHA256()
    private(set) var count: Int64 = 0

    init(_ base: any ByteSource) { self.base = base }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let read = try base.read(into: buffer)
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<read]))
        count += Int64(read)
        return read
    }

    /// Reads what is left (a tar's trailing padding, say), then returns the digest of everything read.
    func finish() throws -> Digest {
        var rest: any ByteSource = self
        try rest.drain { _ in }
        return Digest(finishing: hasher.finalize())
    }
}

/// An open file descriptor, closed when the last reference goes.
final class OpenFile {
    let descriptor: Int32
    let path: String

    /// Opens `path` with `flags` (O_CLOEXEC is added); `mode` applies when creating.
    init(path: String, flags: Int32 = O_RDONLY, mode: mode_t = 0o644) throws {
        let fd = open(path, flags | O_CLOEXEC, mode)
        guard fd >= 0 else { throw ImageStoreError.posix("open", path) }
        self.descriptor = fd
        self.path = path
    }

    deinit { close(descriptor) }

    func size() throws -> Int64 {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw ImageStoreError.posix("stat", path) }
        return Int64(info.st_size)
    }

    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        do {
            try FileHandle(fileDescriptor: descriptor, closeOnDealloc: false).write(contentsOf: bytes)
        } catch {
            throw ImageStoreError.fileSystem(operation: "write", path: path, reason: "\(error)")
        }
    }

    /// Flushes the file's data and metadata to disk.
    func sync() throws {
        guard fsync(descriptor) == 0 else { throw ImageStoreError.posix("fsync", path) }
    }
}
