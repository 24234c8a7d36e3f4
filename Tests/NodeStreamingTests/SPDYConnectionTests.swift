import Synchronization
import Testing
@testable import NodeStreaming

/// `SPDYConnection` driven with frames in memory, as a client would send them: replies, PING echoes,
/// WINDOW_UPDATEs, half-closes, resets and protocol errors.
@Suite("SPDY/3.1 connection")
struct SPDYConnectionTests {
    /// What the server wrote, decoded with a client-side reader.
    final class Wire: Sendable {
        private let bytes = Mutex<[UInt8]>([])

        func append(_ chunk: [UInt8]) { bytes.withLock { $0 += chunk } }

        func frames() throws -> [SPDYFrame] {
            var reader = SPDYFrameReader()
            reader.append(bytes.withLock { $0 })
            var frames: [SPDYFrame] = []
            while let frame = try reader.next() { frames.append(frame) }
            return frames
        }
    }

    /// Serves `clientFrames` (then `extra` bytes; all delivered in 5-byte pieces) with `handler`, and returns
    /// what the server wrote. The client's bytes stay open until the handler is done (their end would
    /// cancel it).
    static func serve(_ clientFrames: [SPDYFrame], extra: [UInt8] = [],
                      handler: @escaping @Sendable (AsyncStream<SPDYStream>) async -> Void) async throws -> [SPDYFrame] {
        let writer = SPDYFrameWriter()
        let bytes = clientFrames.flatMap { writer.encode($0) } + extra
        let wire = Wire()
        await SPDYConnection.serve(
            receive: { deliver in
                for start in stride(from: 0, to: bytes.count, by: 5) {
                    try await deliver(Array(bytes[start..<min(start + 5, bytes.count)]))
                }
                try await Task.sleep(for: .seconds(30))
            },
            transport: { wire.append($0) },
            handler: handler)
        return try wire.frames()
    }

    static func syn(_ id: UInt32, _ type: String, fin: Bool = false) -> SPDYFrame {
        .synStream(SPDYSynStream(streamID: id, headers: ["streamtype": type], fin: fin))
    }

    @Test func streamsAreRepliedEchoedAndClosed() async throws {
        let payload = [UInt8](repeating: 7, count: 40_000)
        let frames = try await Self.serve([Self.syn(1, "data"), .ping(id: 1), .settings([SPDYSetting(id: 7, value: 1 << 20)]),
                                           .data(streamID: 1, payload: Array(payload[..<20_000]), fin: false),
                                           .data(streamID: 1, payload: Array(payload[20_000...]), fin: false),
                                           .data(streamID: 1, payload: [], fin: true)]) { streams in
            for await stream in streams {
                var received: [UInt8] = []
                for await bytes in stream.data { received += bytes }
                try? await stream.write(received)
                await stream.close()
                try? await stream.write([1])  // after close: refused, nothing sent
                return
            }
        }
        #expect(frames.first == .synReply(streamID: 1, headers: SPDYHeaders(), fin: false))
        #expect(frames.contains(.ping(id: 1)))
        let updates = frames.filter { $0 == .windowUpdate(streamID: 1, delta: UInt32(SPDYConnection.windowUpdateThreshold)) }
        #expect(updates.count == 1)
        let data = frames.compactMap { frame -> [UInt8]? in
            if case .data(1, let bytes, _) = frame { return bytes } else { return nil }
        }
        #expect(data.joined().count == payload.count)
        #expect(data.allSatisfy { $0.count <= SPDYConnection.maxDataChunk })
        #expect(frames.filter { if case .data(1, [], true) = $0 { true } else { false } }.count == 1)
        #expect(frames.last == .goAway(lastGoodStreamID: 1, status: 0))
    }

    @Test func badStreamIDsAreReset() async throws {
        let seen = Mutex<[UInt32]>([])
        let frames = try await Self.serve([Self.syn(3, "a"), Self.syn(1, "b"), Self.syn(2, "c"), Self.syn(5, "d", fin: true)]) { streams in
            for await stream in streams {
                seen.withLock { $0.append(stream.id) }
                if stream.id == 5 { return }
            }
        }
        #expect(seen.withLock { $0 } == [3, 5])
        #expect(frames.contains(.rstStream(streamID: 1, status: .protocolError)))
        #expect(frames.contains(.rstStream(streamID: 2, status: .protocolError)))
        #expect(frames.last == .goAway(lastGoodStreamID: 5, status: 0))
    }

    /// The handler's streams end with the connection.
    @Test func aMalformedFrameEndsTheConnectionWithProtocolError() async throws {
        let version2Ping: [UInt8] = [0x80, 2, 0, 6, 0, 0, 0, 4, 0, 0, 0, 1]
        let frames = try await Self.serve([Self.syn(1, "x")], extra: version2Ping) { streams in
            for await stream in streams {
                for await _ in stream.data {}
            }
        }
        #expect(frames == [.synReply(streamID: 1, headers: SPDYHeaders(), fin: false),
                           .goAway(lastGoodStreamID: 1, status: SPDYFrame.goAwayProtocolError)])
    }

    @Test func aResetEndsTheStreamsInput() async throws {
        let ended = Mutex(false)
        _ = try await Self.serve([Self.syn(1, "x"), .data(streamID: 1, payload: [1], fin: false),
                                  .rstStream(streamID: 1, status: .cancel)]) { streams in
            for await stream in streams {
                for await _ in stream.data {}
                ended.withLock { $0 = true }
                try? await stream.write([9])
                return
            }
        }
        #expect(ended.withLock { $0 })
    }
}
