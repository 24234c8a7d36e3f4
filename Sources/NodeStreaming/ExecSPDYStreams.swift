import APIModel
import ContainerRuntime
import Foundation

/// exec over SPDY, as the kubelet serves it to clients that speak only SPDY (kubectl 1.27–1.29), with the
/// `v4.channel.k8s.io` semantics: the client opens one stream per standard stream, each named by its
/// `streamType` header — `error`, and `stdin`, `stdout`, `stderr` (not with a terminal) and `resize` (only
/// with one) as the query asks. Once all have arrived the command starts; stdin's FIN closes its input,
/// resize carries newline-separated `{"Width":…,"Height":…}`; when the output ends, stdout and stderr are
/// closed and the exit `Status` goes on the error stream (JSON, as on WebSocket channel 3).
struct ExecSPDYStreams: Sendable {
    let backend: any PodStreamBackend
    let path: StreamingPath
    let query: PodExecQuery

    /// The stream types the client opens for `query`.
    var expectedStreams: Set<String> {
        var types: Set<String> = ["error"]
        if query.stdin { types.insert("stdin") }
        if query.stdout { types.insert("stdout") }
        if query.stderr && !query.tty { types.insert("stderr") }
        if query.tty { types.insert("resize") }
        return types
    }

    func run(_ incoming: AsyncStream<SPDYStream>) async {
        let expected = expectedStreams
        var streams: [String: SPDYStream] = [:]
        for await stream in incoming {
            guard let type = stream.headers["streamType"], expected.contains(type), streams[type] == nil else {
                await stream.reset(.protocolError)
                continue
            }
            streams[type] = stream
            if streams.count == expected.count { break }
        }
        guard streams.count == expected.count, let errors = streams["error"] else { return }
        let session: any ExecSession
        do throws(PodStreamError) {
            session = try await backend.startExec(path, query: query)
        } catch {
            try? await errors.write(ExecStatus.json(ExecStatus.failure(error)))
            for stream in streams.values { await stream.close() }
            return
        }
        await withTaskGroup(of: Void.self) { group in
            if let stdin = streams["stdin"] {
                group.addTask {
                    for await bytes in stdin.data { _ = await session.write(bytes) }
                    session.closeStdin()
                }
            }
            if let resize = streams["resize"] {
                group.addTask { await Self.resizes(resize.data, session: session) }
            }
            for await chunk in session.output {
                try? await streams[chunk.stream == .stdout ? "stdout" : "stderr"]?.write(chunk.bytes)
            }
            await streams["stdout"]?.close()
            await streams["stderr"]?.close()
            if Task.isCancelled {
                session.kill(SIGKILL)
            } else if let exit = await session.wait() {
                try? await errors.write(ExecStatus.json(ExecStatus.exited(exit, command: query.command)))
            }
            await errors.close()
            group.cancelAll()
        }
    }

    /// Applies each newline-terminated size message of `data` to the session.
    private static func resizes(_ data: AsyncStream<[UInt8]>, session: any ExecSession) async {
        var pending: [UInt8] = []
        for await bytes in data {
            pending += bytes
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                if let size = TerminalSize(json: Array(pending[..<newline])) {
                    session.resize(width: size.width, height: size.height)
                }
                pending.removeSubrange(...newline)
            }
        }
    }
}
