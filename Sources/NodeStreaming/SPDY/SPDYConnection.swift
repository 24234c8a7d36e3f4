import Synchronization

/// The server side of one SPDY/3.1 connection over a byte transport (an upgraded socket, or WebSocket
/// messages carrying the byte stream as kubectl 1.30+ tunnels it): streams the client opens are answered
/// with SYN_REPLY at once (client-go waits for it) and handed to a protocol handler; PINGs are echoed.
///
/// Flow control: received data is acknowledged with WINDOW_UPDATE every `windowUpdateThreshold` bytes per
/// stream as it arrives (it is buffered until the handler reads it), so a peer that keeps to its send
/// window never stalls. Sending ignores the peer's window, as client-go's spdystream does in both
/// directions (it never sends WINDOW_UPDATE, so a sender that waited would stop after 64 KiB); a sender
/// still waits for each frame to be written, so a slow client slows the pod's side down.
final class SPDYConnection: Sendable {
    /// Largest DATA payload written.
    static let maxDataChunk = 32 * 1024
    /// Received bytes per stream after which a WINDOW_UPDATE is sent (half the default 64 KiB window).
    static let windowUpdateThreshold = 32 * 1024

    private struct StreamState {
        var input: AsyncStream<[UInt8]>.Continuation
        var unacknowledged = 0
        var localClosed = false
        var remoteClosed = false
    }

    private struct State {
        var streams: [UInt32: StreamState] = [:]
        var lastStreamID: UInt32 = 0
        var goneAway = false
    }

    let outbound = SPDYOutbound()
    private let state = Mutex(State())

    /// A write to a stream that was closed or reset, or went with the connection.
    struct StreamClosed: Error {}

    /// Where a connection's bytes come from: calls `deliver` with each chunk received (split anywhere) and
    /// returns when the peer's bytes end.
    typealias Receive = @Sendable (_ deliver: ([UInt8]) async throws -> Void) async throws -> Void

    /// Serves the connection: bytes from `receive`, frames out through `transport`. `handler` gets the
    /// streams the client opens; when it returns, GOAWAY is sent and the connection ends. When the client's
    /// bytes end (or break the protocol), `handler` is cancelled.
    static func serve(receive: @escaping Receive, transport: @escaping @Sendable ([UInt8]) async throws -> Void,
                      handler: @escaping @Sendable (AsyncStream<SPDYStream>) async -> Void) async {
        let connection = SPDYConnection()
        let (streams, newStream) = AsyncStream<SPDYStream>.makeStream()
        await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    await connection.read(receive, newStream: newStream)
                    connection.outbound.finish()
                }
                group.addTask {
                    await handler(streams)
                    try? await connection.outbound.send(.goAway(lastGoodStreamID: connection.lastStreamID, status: 0))
                    connection.outbound.finish()
                }
                await connection.outbound.run(transport: transport)
                group.cancelAll()
            }
        } onCancel: {
            connection.outbound.finish()
        }
        connection.endStreams()
    }

    private var lastStreamID: UInt32 { state.withLock { $0.lastStreamID } }

    /// Reads frames until the bytes end or break the protocol (then GOAWAY with PROTOCOL_ERROR).
    private func read(_ receive: Receive, newStream: AsyncStream<SPDYStream>.Continuation) async {
        var reader = SPDYFrameReader()
        do {
            try await receive { chunk in
                reader.append(chunk)
                while let frame = try reader.next() {
                    try await handle(frame, newStream: newStream)
                }
            }
        } catch is SPDYProtocolError {
            try? await outbound.send(.goAway(lastGoodStreamID: lastStreamID, status: SPDYFrame.goAwayProtocolError))
        } catch {}
        newStream.finish()
        endStreams()
    }

    private func handle(_ frame: SPDYFrame, newStream: AsyncStream<SPDYStream>.Continuation) async throws {
        switch frame {
        case .synStream(let syn):
            try await open(syn, newStream: newStream)
        case .data(let streamID, let payload, let fin):
            let acknowledge: Int? = state.withLock { state in
                guard var stream = state.streams[streamID] else { return nil }
                if !payload.isEmpty { stream.input.yield(payload) }
                if fin {
                    stream.input.finish()
                    stream.remoteClosed = true
                }
                stream.unacknowledged += payload.count
                let due = stream.unacknowledged >= Self.windowUpdateThreshold && !fin
                if due { stream.unacknowledged = 0 }
                // A stream closed both ways is forgotten (later frames for it are ignored).
                state.streams[streamID] = stream.remoteClosed && stream.localClosed ? nil : stream
                return due ? Self.windowUpdateThreshold : nil
            }
            if let acknowledge {
                try await outbound.send(.windowUpdate(streamID: streamID, delta: UInt32(acknowledge)))
            }
        case .rstStream(let streamID, _):
            state.withLock { state in
                state.streams.removeValue(forKey: streamID)?.input.finish()
            }
        case .ping(let id) where id % 2 == 1:
            try await outbound.send(.ping(id: id))
        case .goAway:
            state.withLock { $0.goneAway = true }
        case .ping, .settings, .windowUpdate, .headers, .synReply:
            break
        }
    }

    /// A new stream from the client: stream IDs must be odd and increasing (else RST_STREAM PROTOCOL_ERROR).
    private func open(_ syn: SPDYSynStream, newStream: AsyncStream<SPDYStream>.Continuation) async throws {
        let (data, input) = AsyncStream<[UInt8]>.makeStream()
        let accepted: Bool = state.withLock { state in
            guard syn.streamID % 2 == 1, syn.streamID > state.lastStreamID, !state.goneAway else { return false }
            state.lastStreamID = syn.streamID
            state.streams[syn.streamID] = StreamState(input: input)
            return true
        }
        guard accepted else {
            try await outbound.send(.rstStream(streamID: syn.streamID, status: .protocolError))
            return
        }
        if syn.fin {
            input.finish()
            state.withLock { $0.streams[syn.streamID]?.remoteClosed = true }
        }
        try await outbound.send(.synReply(streamID: syn.streamID, headers: SPDYHeaders(), fin: false))
        newStream.yield(SPDYStream(id: syn.streamID, headers: syn.headers, data: data, connection: self))
    }

    /// Ends every stream's input (the connection is gone).
    private func endStreams() {
        state.withLock { state in
            for stream in state.streams.values { stream.input.finish() }
        }
    }

    // MARK: Stream operations

    fileprivate func write(_ bytes: [UInt8], on streamID: UInt32) async throws {
        guard state.withLock({ $0.streams[streamID].map { !$0.localClosed } ?? false }) else {
            throw StreamClosed()
        }
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + Self.maxDataChunk, bytes.count)
            try await outbound.send(.data(streamID: streamID, payload: Array(bytes[offset..<end]), fin: false))
            offset = end
        }
    }

    fileprivate func close(_ streamID: UInt32) async {
        let open: Bool = state.withLock { state in
            guard var stream = state.streams[streamID], !stream.localClosed else { return false }
            stream.localClosed = true
            state.streams[streamID] = stream.remoteClosed ? nil : stream
            return true
        }
        if open { try? await outbound.send(.data(streamID: streamID, payload: [], fin: true)) }
    }

    fileprivate func reset(_ streamID: UInt32, status: SPDYResetStatus) async {
        let open: Bool = state.withLock { state in
            guard let stream = state.streams.removeValue(forKey: streamID) else { return false }
            stream.input.finish()
            return true
        }
        if open { try? await outbound.send(.rstStream(streamID: streamID, status: status)) }
    }
}

/// A stream the client opened: its headers, the data it sends (ends at its FIN, a reset or the connection's
/// end), and writing back.
struct SPDYStream: Sendable {
    let id: UInt32
    let headers: SPDYHeaders
    let data: AsyncStream<[UInt8]>
    fileprivate let connection: SPDYConnection

    /// Sends `bytes` as DATA frames; throws `SPDYConnection.StreamClosed` after `close`/`reset` or once the
    /// connection is gone.
    func write(_ bytes: [UInt8]) async throws {
        try await connection.write(bytes, on: id)
    }

    /// Half-closes the stream (an empty DATA frame with FIN): nothing more is sent on it.
    func close() async {
        await connection.close(id)
    }

    func reset(_ status: SPDYResetStatus = .cancel) async {
        await connection.reset(id, status: status)
    }
}
