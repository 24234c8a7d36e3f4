import APIModel
import Foundation
import Logging

/// `/api/v1/namespaces/{ns}/pods/{name}/portforward`, proxied to the node's `/portForward/…` as
/// kube-apiserver does: over WebSocket (a SPDY byte stream, `SPDY/3.1+portforward.k8s.io`, or the channel
/// protocol with `?ports=`), or as a plain `Upgrade: SPDY/3.1` whose bytes the API server carries to the
/// node in WebSocket messages. The node dials the pod. Requests that cannot run are answered with their
/// `Status` before any upgrade.
struct PodPortForwardProxy: Sendable {
    let connection: NodeConnection?
    let logger: Logger

    /// The node's WebSocket for a valid request: `usingChannels` requests (the channel protocol) need ports.
    func relay(namespace: String, name: String, query: QueryParameters, protocolName: String, usingChannels: Bool,
               reads: PodStreamReads) async throws(APIError) -> NodeRelay {
        let ports: PortForwardQuery
        do {
            ports = usingChannels ? try PortForwardQuery.required(query, name: "ports") : try PortForwardQuery(query, name: "ports")
        } catch {
            throw APIError.badRequest(error.message)
        }
        let pod: Pod = try await reads.object(.pods, namespace: namespace, name: name)
        guard let endpoint = try await PodStreamTarget.endpoint(of: pod, connection: connection, read: reads) else {
            throw APIError.badRequest("pod \(name) does not have a host assigned")
        }
        let phase = pod.status?.phase ?? "Pending"
        guard phase == "Running" else {
            throw APIError.badRequest("unable to forward port because pod is not running. Current status=\(phase)")
        }
        var url = endpoint.baseURL.replacingOccurrences(of: "https://", with: "wss://") + "/portForward/\(namespace)/\(name)"
        if usingChannels { url += "?" + ports.nodeParameters.encoded }
        return NodeRelay(url: url, protocolName: protocolName, tls: connection?.tls, logger: logger)
    }
}
