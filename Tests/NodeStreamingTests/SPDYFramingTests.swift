import Testing
@testable import NodeStreaming

/// The SPDY/3.1 layer without I/O: frames written and read back, header blocks through both zlib
/// contexts, bytes split anywhere, malformed input.
@Suite("SPDY/3.1 framing")
struct SPDYFramingTests {
    static let frames: [SPDYFrame] = [
        .synStream(SPDYSynStream(streamID: 1, priority: 3,
                                 headers: ["streamtype": "error", "port": "80", "requestid": "0"])),
        .synStream(SPDYSynStream(streamID: 3, headers: ["streamtype": "data", "port": "80", "requestid": "0"], fin: true)),
        .synReply(streamID: 1, headers: SPDYHeaders(), fin: false),
        .headers(streamID: 3, headers: ["x-multi": "a\u{0}b"], fin: true),
        .data(streamID: 3, payload: Array("hello".utf8), fin: false),
        .data(streamID: 3, payload: [], fin: true),
        .rstStream(streamID: 5, status: .cancel),
        .settings([SPDYSetting(id: SPDYSetting.initialWindowSizeID, value: 1 << 20), SPDYSetting(flags: 1, id: 4, value: 100)]),
        .ping(id: 7),
        .goAway(lastGoodStreamID: 3, status: 0),
        .windowUpdate(streamID: 3, delta: 32768),
    ]

    static func encoded(_ frames: [SPDYFrame]) -> [UInt8] {
        let writer = SPDYFrameWriter()
        return frames.flatMap { writer.encode($0) }
    }

    static func read(_ chunks: [[UInt8]]) throws -> [SPDYFrame] {
        var reader = SPDYFrameReader()
        var frames: [SPDYFrame] = []
        for chunk in chunks {
            reader.append(chunk)
            while let frame = try reader.next() { frames.append(frame) }
        }
        return frames
    }

    @Test func dictionaryIsTheSPDY3One() {
        #expect(SPDYDictionary.bytes.count == 1423)
        #expect(Array(SPDYDictionary.bytes.prefix(11)) == [0, 0, 0, 7] + Array("options".utf8))
        #expect(String(decoding: SPDYDictionary.bytes.suffix(7), as: UTF8.self) == ",enq=0.")
    }

    @Test func framesRoundTripThroughOneCompressionContext() throws {
        #expect(try Self.read([Self.encoded(Self.frames)]) == Self.frames)
    }

    @Test func controlFrameLayout() {
        let writer = SPDYFrameWriter()
        #expect(writer.encode(.ping(id: 7)) == [0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 7])
        #expect(writer.encode(.data(streamID: 3, payload: [0x41], fin: true)) == [0, 0, 0, 3, 0x01, 0, 0, 1, 0x41])
        #expect(writer.encode(.goAway(lastGoodStreamID: 1, status: 0)) == [0x80, 3, 0, 7, 0, 0, 0, 8, 0, 0, 0, 1, 0, 0, 0, 0])
        // A header block is zlib with the dictionary's ID in its header (FDICT).
        let reply = writer.encode(.synReply(streamID: 1, headers: SPDYHeaders(), fin: false))
        #expect(Array(reply[0..<4]) == [0x80, 3, 0, 2])
        #expect(reply[12] == 0x78 && reply[13] & 0x20 != 0)
    }

    @Test func framesSplitAtEveryByteBoundary() throws {
        let bytes = Self.encoded(Self.frames)
        #expect(try Self.read(bytes.map { [$0] }) == Self.frames)
        for cut in stride(from: 1, to: bytes.count, by: 7) {
            #expect(try Self.read([Array(bytes[..<cut]), Array(bytes[cut...])]) == Self.frames)
        }
    }

    @Test func headerBlocksLargerThanOneZlibBuffer() throws {
        let big = String(repeating: "0123456789abcdef", count: 2048)
        let frames: [SPDYFrame] = (1...3).map {
            .synStream(SPDYSynStream(streamID: UInt32(2 * $0 - 1), headers: ["big": big, "n": "\($0)"]))
        }
        #expect(try Self.read([Self.encoded(frames)]) == frames)
    }

    @Test func unknownControlFramesAreSkipped() throws {
        let credential: [UInt8] = [0x80, 3, 0, 10, 0, 0, 0, 2, 0xAB, 0xCD]
        #expect(try Self.read([credential + Self.encoded([.ping(id: 1)])]) == [.ping(id: 1)])
    }

    @Test func badInputThrowsCleanErrors() {
        func error(_ bytes: [UInt8]) -> String? {
            do {
                _ = try Self.read([bytes])
                return nil
            } catch {
                return (error as? SPDYProtocolError)?.message ?? "\(error)"
            }
        }
        #expect(error([0x80, 2, 0, 6, 0, 0, 0, 4, 0, 0, 0, 1]) == "unsupported SPDY version 2")
        #expect(error([0, 0, 0, 0, 0, 0, 0, 0]) == "DATA frame for stream 0")
        #expect(error([0x80, 3, 0, 6, 0, 0, 0, 2, 0, 0]) == "ping frame is too short")
        #expect(error([0x80, 3, 0, 3, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 1]) == "rstStream for stream 0")
        #expect(error([0x80, 3, 0, 2, 0, 0, 0, 8, 0, 0, 0, 1, 1, 2, 3, 4]) == "header block does not decompress (zlib -3)")
        #expect(error([0x80, 3, 0, 4, 0, 0, 0, 8, 0, 0, 0, 2, 0, 0, 0, 0]) == "SETTINGS frame with a wrong length")
        #expect(error([0x80, 3, 0, 6, 0xFF, 0xFF, 0xFF, 0xFF]) == "frame of 16777215 bytes is too large")
        // A header block that claims more pairs than it holds.
        var lying = [UInt8]()
        lying.appendUInt32(1000)
        let compressed = SPDYHeaderDeflater().compress(lying)
        var frame: [UInt8] = [0x80, 3, 0, 2, 0, 0, 0, UInt8(4 + compressed.count), 0, 0, 0, 1]
        frame += compressed
        #expect(error(frame) == "header block with 1000 pairs is too short")
        // Every truncation of valid frames either waits for more bytes or fails cleanly, never crashes.
        let valid = Self.encoded(Self.frames)
        for cut in 0..<valid.count { _ = error(Array(valid[..<cut])) }
        for index in stride(from: 0, to: valid.count, by: 3) {
            var corrupt = valid
            corrupt[index] ^= 0x5A
            _ = error(corrupt)
        }
    }

    @Test func headerLookupIgnoresCase() {
        let headers: SPDYHeaders = ["streamtype": "data", "x": "a\u{0}b"]
        #expect(headers["streamType"] == "data")
        #expect(headers["X"] == "a")
        #expect(headers["missing"] == nil)
    }
}
