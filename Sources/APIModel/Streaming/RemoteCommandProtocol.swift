import Foundation

/// The channel protocols of `exec` over WebSocket (`k8s.io/apimachinery/pkg/util/remotecommand`), as
/// negotiated in `Sec-WebSocket-Protocol`. Each binary message starts with its channel byte.
public enum RemoteCommandProtocol: String, Sendable, CaseIterable {
    /// v4 plus the close signal: a message `[255, channel]` from the client ends that input stream.
    case v5 = "v5.channel.k8s.io"
    /// Channels 0–4, the status on channel 3 as a `Status` JSON object.
    case v4 = "v4.channel.k8s.io"

    /// Skiff's preference among protocols offered in `Sec-WebSocket-Protocol` headers (comma-separated
    /// lists, possibly several headers): v5, else v4, else nil.
    public static func negotiate(offered headers: [String]) -> RemoteCommandProtocol? {
        let offered = OfferedProtocols.parse(headers)
        return allCases.first { offered.contains($0.rawValue) }
    }

    /// The channel numbers (the first byte of each message).
    public enum Channel: UInt8, Sendable {
        case stdin = 0
        case stdout = 1
        case stderr = 2
        /// The outcome, once, as `Status` JSON.
        case error = 3
        /// Terminal size changes from the client, `{"Width":80,"Height":24}`.
        case resize = 4
        /// v5: `[255, channel]` closes the client's stream `channel`.
        case close = 255
    }
}

/// The protocols a client offers (WebSocket subprotocols, or `X-Stream-Protocol-Version` for SPDY).
public enum OfferedProtocols {
    /// The names in the headers offering them (comma-separated lists, possibly several headers).
    public static func parse(_ headers: [String]) -> Set<String> {
        Set(headers.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) })
    }
}
