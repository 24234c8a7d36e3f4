import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How a blob is compressed, told by its first bytes (media types lie often enough that magic numbers decide).
enum Compression: Equatable {
    case none, gzip, zstd

    /// Reads the first bytes of `file`.
    static func detect(_ file: OpenFile, offset: Int64 = 0) throws -> Compression {
        var magic = [UInt8](repeating: 0, count: 4)
        let read = magic.withUnsafeMutableBytes { pread(file.descriptor, $0.baseAddress, 4, off_t(offset)) }
        guard read >= 0 else { throw ImageStoreError.posix("read", file.path) }
        if read >= 2, magic[0] == 0x1f, magic[1] == 0x8b { return .gzip }
        if read == 4, magic == [0x28, 0xb5, 0x2f, 0xfd] { return .zstd }
        return .none
    }
}

/// The uncompressed bytes of a whole gzip file, streamed from `gzip -dc` (/usr/bin/gzip or /bin/gzip).
/// Call ``finish()`` after reading to the end: it waits for gzip and reports its failure.
final class GzipSource: ByteSource {
    private let process = Process()
    private let output: FileHandle
    private let path: String
    private var finished = false

    /// Starts `gzip -dc` reading the file at `path`.
    init(path: String) throws {
        self.path = path
        let gzip = ["/usr/bin/gzip", "/bin/gzip"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let gzip else { throw ImageStoreError.unsupported("gzip layers need /usr/bin/gzip or /bin/gzip") }
        guard let input = FileHandle(forReadingAtPath: path) else { throw ImageStoreError.posix("open", path) }
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: gzip)
        process.arguments = ["-dc"]
        process.standardInput = input
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        output = pipe.fileHandleForReading
        do { try process.run() } catch {
            throw ImageStoreError.fileSystem(operation: "run gzip for", path: path, reason: "\(error)")
        }
        try? input.close()
        try? pipe.fileHandleForWriting.close()
    }

    deinit {
        if process.isRunning { process.terminate() }
        if !finished { process.waitUntilExit() }
        try? output.close()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let read = posixRead(output.fileDescriptor, base, buffer.count)
            if read < 0 {
                if errno == EINTR { continue }
                throw ImageStoreError.posix("read gzip output of", path)
            }
            if read == 0 { try finish() }
            return read
        }
    }

    /// Waits for gzip to exit; throws if it failed (corrupt or truncated input).
    func finish() throws {
        guard !finished else { return }
        process.waitUntilExit()
        finished = true
        guard process.terminationStatus == 0 else {
            throw ImageStoreError.invalidArchive("\(path) is not valid gzip (gzip exited \(process.terminationStatus))")
        }
    }
}

/// The uncompressed content of a whole blob file: the file itself, or its gzip decompression.
enum LayerStream {
    /// Opens the blob at `path` for reading its uncompressed bytes; zstd is refused.
    static func open(path: String) throws -> any ByteSource {
        let file = try OpenFile(path: path)
        switch try Compression.detect(file) {
        case .none: return try FileSlice(file: file)
        case .gzip: return try GzipSource(path: path)
        case .zstd: throw ImageStoreError.unsupported("zstd-compressed layer \(path)")
        }
    }
}
