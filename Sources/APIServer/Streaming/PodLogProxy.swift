import APIModel
import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore

/// `GET /api/v1/namespaces/{ns}/pods/{name}/log`: validates `PodLogOptions`, finds the pod's container and
/// node, and streams the node's `/containerLogs/…` answer through as `text/plain` (with `follow`, until the
/// node ends it or the client goes away). A pod not bound to a node has an empty log, as in Kubernetes.
/// A node's error answer becomes a `Status` with its code and message.
struct PodLogProxy: Sendable {
    let connection: NodeConnection?

    func respond(namespace: String, name: String, query: QueryParameters,
                 reads: PodStreamReads) async throws(APIError) -> Response {
        let options = try PodLogValidation.options(query, pod: name)
        let target = try await PodStreamTarget.resolve(namespace: namespace, name: name, container: options.container,
                                                      connection: connection, read: reads)
        var headers = HTTPFields()
        headers[.contentType] = "text/plain"
        guard let endpoint = target.endpoint, let connection else {
            return Response(status: .ok, headers: headers, body: ResponseBody())
        }
        let path = "/containerLogs/\(namespace)/\(name)/\(target.container)"
        let query = options.nodeParameters.encoded
        var request = HTTPClientRequest(url: endpoint.baseURL + path + (query.isEmpty ? "" : "?" + query))
        request.method = .GET
        request.tlsConfiguration = connection.tls
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .hours(24 * 365))
        } catch {
            throw NodeErrors.dial(error)
        }
        guard (200..<300).contains(Int(response.status.code)) else {
            let body = (try? await response.body.collect(upTo: 64 * 1024)).map { String(buffer: $0) } ?? ""
            throw NodeErrors.status(code: Int(response.status.code), body: body)
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(asyncSequence: response.body))
    }
}

/// Errors of a request to a node, as Kubernetes reports a kubelet's.
enum NodeErrors {
    /// The node could not be reached (or TLS failed).
    static func dial(_ error: any Error) -> APIError {
        APIError(code: 500, reason: "InternalError", message: "error dialing backend: \(error)")
    }

    /// A non-2xx answer: the node's text is the message, the reason follows the code.
    static func status(code: Int, body: String) -> APIError {
        let reason = switch code {
        case 400: "BadRequest"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 409: "Conflict"
        default: "InternalError"
        }
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        return APIError(code: code, reason: reason,
                        message: text.isEmpty ? "the server responded with the status code \(code) but did not return more information" : text)
    }
}
