import CZlib

/// The compressing side of one direction's header-block context: a zlib stream primed with the SPDY/3
/// dictionary that lives as long as the connection, each block ended with a sync flush (SPDY/3 §2.6.10).
/// Not thread-safe: one writer owns it, and blocks must be compressed in the order they go on the wire.
final class SPDYHeaderDeflater {
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)

    init() {
        stream.initialize(to: z_stream())
        let initialized = deflateInit_(stream, Z_DEFAULT_COMPRESSION, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        let dictionary = SPDYDictionary.bytes
        let primed = dictionary.withUnsafeBufferPointer { deflateSetDictionary(stream, $0.baseAddress, UInt32($0.count)) }
        // Both only fail for invalid arguments or no memory.
        precondition(initialized == Z_OK && primed == Z_OK, "zlib deflate setup failed")
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    /// The compressed form of `block`, flushed so that the peer can decompress it on its own.
    func compress(_ block: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var input = block
        let chunk = 4096
        input.withUnsafeMutableBufferPointer { input in
            stream.pointee.next_in = input.baseAddress
            stream.pointee.avail_in = UInt32(input.count)
            repeat {
                let start = output.count
                output += [UInt8](repeating: 0, count: chunk)
                output.withUnsafeMutableBufferPointer { buffer in
                    stream.pointee.next_out = buffer.baseAddress! + start
                    stream.pointee.avail_out = UInt32(chunk)
                    _ = deflate(stream, Z_SYNC_FLUSH)
                }
                output.removeLast(Int(stream.pointee.avail_out))
            } while stream.pointee.avail_out == 0
            stream.pointee.next_in = nil
        }
        return output
    }
}

/// The decompressing side of one direction's header-block context (see `SPDYHeaderDeflater`). Blocks must
/// be given in the order they arrived; a block that does not decompress leaves the context unusable, so
/// the connection must end.
final class SPDYHeaderInflater {
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    /// Largest decompressed block accepted.
    let limit: Int

    init(limit: Int = 1 << 20) {
        self.limit = limit
        stream.initialize(to: z_stream())
        let initialized = inflateInit_(stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(initialized == Z_OK, "zlib inflate setup failed")
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    func decompress(_ block: [UInt8]) throws(SPDYProtocolError) -> [UInt8] {
        var output: [UInt8] = []
        var input = block
        let chunk = 4096
        var failure: SPDYProtocolError?
        input.withUnsafeMutableBufferPointer { input in
            stream.pointee.next_in = input.baseAddress
            stream.pointee.avail_in = UInt32(input.count)
            defer { stream.pointee.next_in = nil }
            while failure == nil {
                let start = output.count
                output += [UInt8](repeating: 0, count: chunk)
                var result: Int32 = Z_OK
                output.withUnsafeMutableBufferPointer { buffer in
                    stream.pointee.next_out = buffer.baseAddress! + start
                    stream.pointee.avail_out = UInt32(chunk)
                    result = inflate(stream, Z_SYNC_FLUSH)
                    if result == Z_NEED_DICT {
                        let dictionary = SPDYDictionary.bytes
                        result = dictionary.withUnsafeBufferPointer {
                            inflateSetDictionary(stream, $0.baseAddress, UInt32($0.count))
                        }
                        if result != Z_OK { result = Z_DATA_ERROR }
                    }
                }
                let produced = chunk - Int(stream.pointee.avail_out)
                output.removeLast(chunk - produced)
                switch result {
                case Z_OK, Z_STREAM_END:
                    if output.count > limit { failure = SPDYProtocolError("header block larger than \(limit) bytes") }
                    // Done once all input is used and the last call had room to spare.
                    if (stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0) || result == Z_STREAM_END { return }
                case Z_BUF_ERROR where stream.pointee.avail_in == 0:
                    return  // no progress possible: everything was used
                default:
                    failure = SPDYProtocolError("header block does not decompress (zlib \(result))")
                }
            }
        }
        if let failure { throw failure }
        return output
    }
}
