import APIModel
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import WSClient

/// `/api/v1/namespaces/{ns}/pods/{name}/exec`: a WebSocket upgrade (`v5.channel.k8s.io`, else
/// `v4.channel.k8s.io`) relayed message by message to the node's `/exec/…`, closes included. (A SPDY
/// upgrade is relayed as bytes, see `PodStreams.spdyUpgrade`.)
///
/// The upgrade is accepted for an authenticated client; when the pod, container or node is not found, the
/// `Status` error Kubernetes gives is sent on channel 3 (kubectl prints it). Plain HTTP requests get that
/// error, or the refusal of anything but an upgrade (`refusal`).
struct PodExecProxy: Sendable {
    let connection: NodeConnection?
    let logger: Logger

    /// Where an accepted exec goes: the node's `wss://…/exec/…` URL.
    struct Plan: Sendable {
        var url: String
    }

    typealias Handler = StreamingUpgradeChannel.DataHandler

    /// The node URL for a valid exec request, or the error to answer it with.
    func plan(namespace: String, name: String, query: QueryParameters, reads: PodStreamReads) async throws(APIError) -> Plan {
        let options = PodExecQuery(query)
        if options.command.isEmpty { throw APIError.badRequest("you must specify at least 1 command") }
        if !options.stdin && !options.stdout && !options.stderr {
            throw APIError.badRequest("you must specify at least 1 of stdin, stdout, stderr")
        }
        let target = try await PodStreamTarget.resolve(namespace: namespace, name: name, container: options.container,
                                                      connection: connection, read: reads)
        guard let endpoint = target.endpoint else {
            throw APIError.badRequest("pod \(name) does not have a host assigned")
        }
        let path = "/exec/\(namespace)/\(name)/\(target.container)"
        let url = endpoint.baseURL.replacingOccurrences(of: "https://", with: "wss://") + path + "?" + options.nodeParameters.encoded
        return Plan(url: url)
    }

    /// The answer to an exec request that was not upgraded: the request's error if it has one, else the
    /// refusal of anything but a WebSocket.
    func refusal(namespace: String, name: String, query: QueryParameters, reads: PodStreamReads) async throws(APIError) -> Response {
        _ = try await plan(namespace: namespace, name: name, query: query, reads: reads)
        throw APIError.badRequest("exec needs an upgrade: a WebSocket (Sec-WebSocket-Protocol "
                                  + RemoteCommandProtocol.allCases.map(\.rawValue).joined(separator: " or ")
                                  + ") or Upgrade: SPDY/3.1 (X-Stream-Protocol-Version \(RemoteCommandProtocol.v4.rawValue))")
    }

    /// The WebSocket handler relaying between the client and the node, speaking `version` to both.
    func relay(_ plan: Plan, version: RemoteCommandProtocol) -> Handler {
        let relay = NodeRelay(url: plan.url, protocolName: version.rawValue, tls: connection?.tls, logger: logger)
        return { clientInbound, clientOutbound, _ in
            // A node that cannot be reached or refuses the upgrade: the client learns why on channel 3.
            try await relay.relay(inbound: clientInbound, outbound: clientOutbound) { error, outbound in
                try await Self.send(error, to: outbound)
            }
        }
    }

    /// The handler of an upgraded request that cannot run: its error on channel 3, then the close.
    static func failure(_ error: APIError) -> Handler {
        { _, outbound, _ in try await send(error, to: outbound) }
    }

    private static func send(_ error: APIError, to outbound: WebSocketOutboundWriter) async throws {
        let json = (try? ModelJSON.encode(error.status)) ?? Data()
        try await outbound.write(.binary(ByteBuffer(bytes: [RemoteCommandProtocol.Channel.error.rawValue] + Array(json))))
    }
}
