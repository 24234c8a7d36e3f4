import APIModel
import HummingbirdWebSocket
import NIOCore

/// Port-forwarding over the WebSocket channel protocol (`v4.channel.k8s.io`/`portforward.k8s.io`, the
/// Python client), as the kubelet serves it: for the `i`th requested port, channel `2i` carries data both
/// ways and `2i+1` errors from the server; each channel's first message is the port (2 bytes,
/// little-endian). Every port gets one TCP connection at once; when all have ended the WebSocket closes.
struct PortForwardChannels: Sendable {
    let backend: any PodStreamBackend
    let namespace: String
    let pod: String
    let ports: [UInt16]

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        for (index, port) in ports.enumerated() {
            let prefix = [UInt8(port & 0xFF), UInt8(port >> 8)]
            try await outbound.write(.binary(ByteBuffer(bytes: [UInt8(2 * index)] + prefix)))
            try await outbound.write(.binary(ByteBuffer(bytes: [UInt8(2 * index + 1)] + prefix)))
        }
        let inputs = ports.map { _ in AsyncStream<[UInt8]>.makeStream() }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // Client data for each port's channel; the client's close ends every input.
                try? await ChannelFrame.receive(from: inbound) { frame in
                    let (port, isData) = (Int(frame.channel) / 2, frame.channel % 2 == 0)
                    if isData && port < inputs.count { inputs[port].continuation.yield(frame.payload) }
                }
                for input in inputs { input.continuation.finish() }
            }
            await withTaskGroup(of: Void.self) { forwards in
                for (index, port) in ports.enumerated() {
                    forwards.addTask {
                        await forward(port: port, channel: UInt8(2 * index), input: inputs[index].stream, outbound: outbound)
                    }
                }
            }
            group.cancelAll()
        }
    }

    private func forward(port: UInt16, channel: UInt8, input: AsyncStream<[UInt8]>, outbound: WebSocketOutboundWriter) async {
        do {
            let connection = try await backend.dialPort(namespace: namespace, pod: pod, port: port)
            await connection.relay(input: input) { bytes in
                try await outbound.write(.binary(ByteBuffer(bytes: [channel] + bytes)))
            }
        } catch {
            try? await outbound.write(.binary(ByteBuffer(bytes: [channel + 1] + Array(error.message.utf8))))
        }
    }
}
