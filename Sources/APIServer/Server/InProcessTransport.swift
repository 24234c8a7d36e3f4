import APIClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Storage

/// The API for Skiff's own components in the server process: a `KubernetesTransport` that hands requests
/// straight to the API's handlers as a fixed user, with no TLS, sockets or HTTP parsing. Everything else —
/// validation, admission, the watch cache, `Status` errors — is exactly what an HTTPS client gets.
public struct InProcessTransport: KubernetesTransport {
    let responder: APIResponder
    let user: UserInfo
    /// Sent as the `User-Agent`: the name the component's writes are recorded under in managedFields.
    let userAgent: String

    public func send(method: String, path: String, body: Data?, contentType: String?, accept: String?,
                     timeout: Duration) async throws -> KubernetesClient.RawResponse {
        let response = await responder.respondInProcess(method: HTTPRequest.Method(method) ?? .get, path: path,
                                                        body: body ?? Data(), contentType: contentType, accept: accept,
                                                        user: user, userAgent: userAgent)
        let writer = CollectingBodyWriter()
        try await response.body.write(writer)
        return KubernetesClient.RawResponse(status: Int(response.status.code), contentType: response.headers[.contentType],
                                            body: writer.data)
    }

    /// The body is written by a task of its own; dropping the stream cancels it, which ends a watch.
    public func stream(path: String, accept: String?, timeout: Duration) async throws -> KubernetesClient.StreamedResponse {
        let response = await responder.respondInProcess(method: .get, path: path, body: Data(), contentType: nil,
                                                        accept: accept, user: user, userAgent: userAgent)
        let (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        let body = response.body
        let writer = ForwardingBodyWriter(continuation)
        let task = Task {
            do {
                try await body.write(writer)
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return KubernetesClient.StreamedResponse(status: Int(response.status.code), body: stream)
    }

    public func shutdown() async throws {}
}

/// Collects a whole response body.
final class CollectingBodyWriter: ResponseBodyWriter, Sendable {
    private let buffer = Locked(Data())

    var data: Data { buffer.withLock { $0 } }

    func write(_ buffer: ByteBuffer) async throws {
        self.buffer.withLock { $0.append(contentsOf: buffer.readableBytesView) }
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

/// Passes each chunk of a streamed body on as it is written.
private struct ForwardingBodyWriter: ResponseBodyWriter {
    let continuation: AsyncThrowingStream<Data, any Error>.Continuation

    init(_ continuation: AsyncThrowingStream<Data, any Error>.Continuation) {
        self.continuation = continuation
    }

    mutating func write(_ buffer: ByteBuffer) async throws {
        continuation.yield(Data(buffer: buffer))
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
