import APIModel
import ContainerRuntime
import Foundation
import Hummingbird
import NIOCore

/// `GET /containerLogs/{namespace}/{pod}/{container}`: the container's log read as the kubelet reads it,
/// as `text/plain`; with `follow` the body streams until the container exits or the client goes away.
struct ContainerLogResponse {
    let backend: any PodStreamBackend
    let followPollInterval: Duration

    func respond(_ path: StreamingPath, query: QueryParameters) async throws(PodStreamError) -> Response {
        let options: PodLogQuery
        do {
            options = try PodLogQuery(query)
        } catch {
            throw .badRequest(error.message)
        }
        let source = try await backend.containerLog(namespace: path.namespace, pod: path.pod,
                                                    container: path.container, previous: options.previous)
        let reader = ContainerLogReader(path: source.path, options: Self.readOptions(options, now: Date()))
        var headers = HTTPFields()
        headers[.contentType] = "text/plain"
        guard options.follow else {
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: reader.read())))
        }
        let chunks = reader.follow(pollInterval: followPollInterval, exited: source.hasExited)
        return Response(status: .ok, headers: headers, body: ResponseBody(asyncSequence: chunks.map { ByteBuffer(bytes: $0) }))
    }

    /// The reader's options for validated `PodLogOptions` (`sinceSeconds` counts back from `now`).
    static func readOptions(_ options: PodLogQuery, now: Date) -> LogReadOptions {
        var since = options.sinceTime.flatMap { LogTime(rfc3339: $0) }
        if let seconds = options.sinceSeconds {
            since = LogReadOptions.since(seconds: seconds, before: LogTime(seconds: Int(now.timeIntervalSince1970)))
        }
        return LogReadOptions(tail: options.tailLines, since: since, timestamps: options.timestamps,
                              limitBytes: options.limitBytes)
    }
}
