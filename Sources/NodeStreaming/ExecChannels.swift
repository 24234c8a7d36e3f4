import APIModel
import ContainerRuntime
import Foundation
import HummingbirdWebSocket
import NIOCore

/// Runs one exec session over an upgraded WebSocket speaking a `RemoteCommandProtocol`: the client's
/// stdin (channel 0), resize (4) and, with v5, close signal (`[255, 0]`) go to the session; its output
/// goes out on channels 1 and 2 (only the streams the client asked for); when the output ends, the exit
/// status goes out on channel 3 and the handler returns, which closes the WebSocket. A client that closes
/// first ends the command.
struct ExecChannels: Sendable {
    let session: any ExecSession
    let version: RemoteCommandProtocol
    let query: PodExecQuery

    /// Largest message accepted from the client.
    static let maxMessageSize = 1 << 20

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await forwardInput(inbound) }
            for await chunk in session.output where wanted(chunk.stream) {
                let channel: RemoteCommandProtocol.Channel = chunk.stream == .stdout ? .stdout : .stderr
                try await outbound.write(.binary(ByteBuffer(bytes: [channel.rawValue] + chunk.bytes)))
            }
            if let status = await session.wait().map({ ExecStatus.exited($0, command: query.command) }) {
                try await outbound.write(.binary(ByteBuffer(bytes: ExecStatus.message(status))))
            }
            group.cancelAll()
        }
    }

    private func wanted(_ stream: CRILogFormat.Stream) -> Bool {
        stream == .stdout ? query.stdout || query.tty : query.stderr
    }

    /// Client messages until the client closes (then the command is killed) or this task is cancelled.
    private func forwardInput(_ inbound: WebSocketInboundStream) async {
        try? await ChannelFrame.receive(from: inbound) { frame in
            switch frame.channel {
            case RemoteCommandProtocol.Channel.stdin.rawValue:
                _ = await session.write(frame.payload)
            case RemoteCommandProtocol.Channel.resize.rawValue:
                if let size = TerminalSize(json: frame.payload) { session.resize(width: size.width, height: size.height) }
            case RemoteCommandProtocol.Channel.close.rawValue where version == .v5:
                if frame.payload.first == RemoteCommandProtocol.Channel.stdin.rawValue { session.closeStdin() }
            default:
                break
            }
        }
        if !Task.isCancelled { session.kill(SIGKILL) }
    }
}

/// One binary message of the channel protocols: the channel byte, then the payload.
struct ChannelFrame: Equatable {
    var channel: UInt8
    var payload: [UInt8]

    init(channel: UInt8, payload: [UInt8]) {
        self.channel = channel
        self.payload = payload
    }

    /// Nil for an empty message.
    init?(_ buffer: ByteBuffer) {
        guard let bytes = buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes), let first = bytes.first
        else { return nil }
        self.init(channel: first, payload: Array(bytes.dropFirst()))
    }

    /// Calls `body` with each binary message of `inbound` that has a channel byte, until the client closes
    /// (or the task is cancelled).
    static func receive(from inbound: WebSocketInboundStream, _ body: (ChannelFrame) async -> Void) async throws {
        for try await message in inbound.messages(maxSize: ExecChannels.maxMessageSize) {
            guard case .binary(let buffer) = message, let frame = ChannelFrame(buffer) else { continue }
            await body(frame)
        }
    }
}

/// A resize message's payload: `{"Width":80,"Height":24}`.
struct TerminalSize: Decodable, Equatable {
    var width: UInt16
    var height: UInt16

    enum CodingKeys: String, CodingKey {
        case width = "Width"
        case height = "Height"
    }

    init(width: UInt16, height: UInt16) {
        self.width = width
        self.height = height
    }

    init?(json: [UInt8]) {
        guard let size = try? JSONDecoder().decode(TerminalSize.self, from: Data(json)) else { return nil }
        self = size
    }
}
