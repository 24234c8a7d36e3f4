import Foundation
import NIOCore
import NIOPosix

/// A TCP connection to a port of a pod, as port-forwarding relays it. Made by `connect`; used once by
/// `relay`, which closes it.
public struct PodPortConnection: Sendable {
    private let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>

    /// Why a connection could not be made, worded as Go's dialer (`dial tcp 10.42.0.5:80: connect:
    /// connection refused`).
    public struct DialError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Connects to `host:port` (a literal address), giving up after 10 seconds.
    public static func connect(host: String, port: Int) async throws(DialError) -> PodPortConnection {
        let target = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .channelOption(.allowRemoteHalfClosure, value: true)
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                            wrappingChannelSynchronously: channel,
                            configuration: .init(isOutboundHalfClosureEnabled: true))
                    }
                }
            return PodPortConnection(channel: channel)
        } catch {
            throw DialError(description: "dial tcp \(target): \(Self.reason(error))")
        }
    }

    /// Go's words for a failed connect: `connect: connection refused`, `i/o timeout`, …
    private static func reason(_ error: any Error) -> String {
        let underlying = (error as? NIOConnectionError)?.connectionErrors.first?.error ?? error
        if let io = underlying as? IOError {
            return "connect: " + String(cString: strerror(io.errnoCode)).lowercased()
        }
        if case .connectTimeout = underlying as? ChannelError { return "i/o timeout" }
        return "\(underlying)"
    }

    /// Copies `input` to the connection (half-closing it when `input` ends) and the connection's bytes to
    /// `output`, until the peer has closed its side or `output` fails; then closes the connection.
    public func relay<Input: AsyncSequence<[UInt8], Never> & Sendable>(
        input: Input, output: @escaping @Sendable ([UInt8]) async throws -> Void
    ) async {
        try? await channel.executeThenClose { inbound, outbound in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await bytes in input {
                        try await outbound.write(ByteBuffer(bytes: bytes))
                    }
                    outbound.finish()
                }
                for try await buffer in inbound {
                    try await output(Array(buffer.readableBytesView))
                }
                group.cancelAll()
            }
        }
    }
}
