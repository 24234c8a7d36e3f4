import APIModel
import Foundation

extension KubernetesClient {
    /// Watches a collection and yields its events as typed values.
    ///
    /// Returns once the server has accepted the watch (its response head arrived), so changes made after the
    /// call returns are seen. `options.resourceVersion` says where the stream starts (nil or `"0"`: the
    /// current objects first, as ADDED events). The stream finishes when the server ends the watch (e.g. at
    /// `options.timeoutSeconds`) and throws on transport errors or undecodable lines. Stop watching by
    /// cancelling the consuming task or dropping the stream: the connection is then closed.
    ///
    /// - Throws: `KubernetesClientError` when the server refuses the watch (non-2xx status).
    public func watch<T: KubernetesObject>(_ type: T.Type, namespace: String? = nil, resource: ResourcePath,
                                           options: ListOptions = ListOptions(),
                                           decoder: JSONDecoder = JSONDecoder()) async throws -> AsyncThrowingStream<WatchEvent<T>, any Error> {
        let path = resource.collection(namespace: namespace) + "?" + options.query(watch: true)
        return try await stream(path: path, timeoutSeconds: options.timeoutSeconds) { line in
            try WatchEventDecoding.decode(line, as: T.self, decoder: decoder)
        }
    }

    /// Watches any path (query included, with `watch=true`) and yields its JSON lines unparsed (split on
    /// newlines, blank lines dropped), for callers that parse lines themselves. Same contract as `watch`.
    public func watchLines(path: String, timeoutSeconds: Int? = nil) async throws -> AsyncThrowingStream<Data, any Error> {
        try await stream(path: path, timeoutSeconds: timeoutSeconds) { $0 }
    }

    private func stream<Element: Sendable>(path: String, timeoutSeconds: Int?,
                                           transform: @escaping @Sendable (Data) throws -> Element) async throws -> AsyncThrowingStream<Element, any Error> {
        // The server ends the watch at timeoutSeconds; the deadline is only a backstop past it.
        let response = try await transport.stream(path: path, accept: "application/json",
                                                  timeout: .seconds((timeoutSeconds ?? 86_400) + 60))
        guard (200..<300).contains(response.status) else {
            var body = Data()
            for try await chunk in response.body {
                body.append(chunk)
                if body.count > 1 << 20 { break }
            }
            throw KubernetesClientError(httpStatus: response.status, body: body)
        }
        let chunks = response.body
        let (stream, continuation) = AsyncThrowingStream<Element, any Error>.makeStream()
        let pump = Task {
            var splitter = WatchLineSplitter()
            do {
                for try await chunk in chunks {
                    for line in try splitter.append(chunk) {
                        continuation.yield(try transform(line))
                    }
                }
                if let last = splitter.finish() { continuation.yield(try transform(last)) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in pump.cancel() }
        return stream
    }
}
