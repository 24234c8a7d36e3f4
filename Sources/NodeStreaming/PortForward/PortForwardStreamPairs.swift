import APIModel

/// Port-forwarding over SPDY (`portforward.k8s.io`), as the kubelet serves it: the client opens a pair of
/// streams per forwarded connection, `streamType: error` then `streamType: data`, both with `port` and
/// `requestID`. Each complete pair gets a TCP connection to the pod's port, relayed through the data stream
/// (the client's FIN half-closes it); a connection that cannot be made is reported on the error stream.
/// Both streams are closed when the connection ends. Other streams are reset.
struct PortForwardStreamPairs: Sendable {
    let backend: any PodStreamBackend
    let namespace: String
    let pod: String

    func run(_ streams: AsyncStream<SPDYStream>) async {
        // Discarding: a long port-forward serves many connections, and finished ones must not pile up.
        await withDiscardingTaskGroup { group in
            var waiting: [String: (data: SPDYStream?, error: SPDYStream?)] = [:]
            for await stream in streams {
                let requestID = stream.headers["requestID"] ?? ""
                var pair = waiting[requestID] ?? (nil, nil)
                switch stream.headers["streamType"] {
                case "data" where pair.data == nil: pair.data = stream
                case "error" where pair.error == nil: pair.error = stream
                default:
                    await stream.reset(.protocolError)
                    continue
                }
                guard let data = pair.data, let error = pair.error else {
                    waiting[requestID] = pair
                    continue
                }
                waiting[requestID] = nil
                group.addTask { await forward(data: data, errors: error) }
            }
        }
    }

    private func forward(data: SPDYStream, errors: SPDYStream) async {
        do throws(PodStreamError) {
            guard let text = data.headers["port"], let port = UInt16(text), port > 0 else {
                throw .badRequest("invalid port \(GoFormatting.quoted(data.headers["port"] ?? ""))")
            }
            let connection = try await backend.dialPort(namespace: namespace, pod: pod, port: port)
            await connection.relay(input: data.data) { try await data.write($0) }
        } catch {
            try? await errors.write(Array(error.message.utf8))
        }
        await data.close()
        await errors.close()
    }
}
