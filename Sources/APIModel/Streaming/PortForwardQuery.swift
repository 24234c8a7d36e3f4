import Foundation

/// The ports of a `pods/portforward` request (`?ports=80,8080`, also repeated) and of the node's
/// `/portForward` request the API server makes from it (`?port=80&port=8080`, the kubelet's name). Needed
/// only by the WebSocket channel protocol; SPDY clients name the port per stream.
public struct PortForwardQuery: Sendable, Equatable {
    public var ports: [UInt16]

    public init(ports: [UInt16]) {
        self.ports = ports
    }

    /// Parses the values of `name` (`ports` for the API, `port` for the node) as the kubelet's
    /// `NewV4Options` does; throws its messages.
    public init(_ parameters: QueryParameters, name: String) throws(QueryParameterError) {
        var ports: [UInt16] = []
        for value in parameters.values(name) {
            guard !value.isEmpty else { throw QueryParameterError(message: "query parameter \"port\" cannot be empty") }
            for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                guard let port = UInt16(part) else {
                    throw QueryParameterError(message: "unable to parse \(GoFormatting.quoted(value)) as a port: "
                                              + "strconv.ParseUint: parsing \(GoFormatting.quoted(String(part))): "
                                              + (UInt64(part) == nil ? "invalid syntax" : "value out of range"))
                }
                guard port > 0 else { throw QueryParameterError(message: "port \(GoFormatting.quoted(value)) must be > 0") }
                ports.append(port)
            }
        }
        self.ports = ports
    }

    /// The ports, or the kubelet's error when there are none (the channel protocol needs them).
    public static func required(_ parameters: QueryParameters, name: String) throws(QueryParameterError) -> PortForwardQuery {
        let query = try PortForwardQuery(parameters, name: name)
        guard !query.ports.isEmpty else { throw QueryParameterError(message: "query parameter \"port\" is required") }
        return query
    }

    /// The node's query for these ports.
    public var nodeParameters: QueryParameters {
        QueryParameters(ports.map { (name: "port", value: String($0)) })
    }
}

/// How a `pods/portforward` connection carries its streams, as negotiated in `Sec-WebSocket-Protocol`
/// (or, for SPDY upgrades, `X-Stream-Protocol-Version`).
public enum PortForwardProtocol: String, Sendable, CaseIterable {
    /// kubectl 1.30+: a SPDY/3.1 byte stream in binary WebSocket messages, streams as with `spdy`.
    case spdyOverWebSocket = "SPDY/3.1+portforward.k8s.io"
    /// The WebSocket channel protocol (the Python client): per port `i`, channel `2i` is data and `2i+1`
    /// errors; each channel's first message from the server is the port, 2 bytes little-endian.
    case v4Channel = "v4.channel.k8s.io"
    case channel = "portforward.k8s.io"

    /// The protocol of a plain `Upgrade: SPDY/3.1` request: each forwarded connection is a pair of
    /// streams with headers `streamType: error|data`, `port` and `requestID`.
    public static let spdy = "portforward.k8s.io"

    /// Skiff's preference among protocols offered (comma-separated lists, possibly several headers).
    public static func negotiate(offered headers: [String]) -> PortForwardProtocol? {
        let offered = OfferedProtocols.parse(headers)
        return allCases.first { offered.contains($0.rawValue) }
    }
}

/// The prefix of WebSocket subprotocols that carry a SPDY/3.1 byte stream (client-go's
/// `WebsocketsSPDYTunnelingPrefix`). Skiff's API server also uses it towards nodes for exec from clients
/// that speak SPDY only: `SPDY/3.1+v4.channel.k8s.io`.
public enum SPDYTunnel {
    public static let prefix = "SPDY/3.1+"
    /// exec from a SPDY-only client (`v4.channel.k8s.io` semantics), relayed by the API server to the node.
    public static let remoteCommand = prefix + RemoteCommandProtocol.v4.rawValue
}
