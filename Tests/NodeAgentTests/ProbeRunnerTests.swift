import APIModel
import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import NodeAgent

/// A loopback HTTP server for probe tests: `/ok` 200, `/fail` 500, `/redirect` 302 → `/ok`, `/hang` never answers;
/// it remembers the last request head it read.
private final class ProbeTestServer: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var buffered = ""
    private let lastRequest: LockedText

    init(lastRequest: LockedText) { self.lastRequest = lastRequest }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        buffered += bytes.readString(length: bytes.readableBytes) ?? ""
        guard buffered.contains("\r\n\r\n") else { return }
        lastRequest.set(buffered)
        let path = buffered.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
        let head: String
        switch path {
        case "/ok": head = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        case "/redirect": head = "HTTP/1.1 302 Found\r\nLocation: /ok\r\nContent-Length: 0\r\n\r\n"
        case "/hang": return
        default: head = "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"
        }
        let out = context.channel.allocator.buffer(string: head)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(out)).whenComplete { _ in channel.close(promise: nil) }
        buffered = ""
    }
}

private final class LockedText: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    func set(_ value: String) { lock.withLock { text = value } }
    func get() -> String { lock.withLock { text } }
}

private func withServer(_ body: (Int, LockedText) async throws -> Void) async throws {
    let lastRequest = LockedText()
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(ProbeTestServer(lastRequest: lastRequest)) }
        }
        .bind(host: "127.0.0.1", port: 0).get()
    do {
        try await body(channel.localAddress!.port!, lastRequest)
    } catch {
        try? await channel.close()
        throw error
    }
    try? await channel.close()
}

/// A loopback port nothing listens on (bound, then closed).
private func closedPort() async throws -> Int {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .bind(host: "127.0.0.1", port: 0).get()
    let port = channel.localAddress!.port!
    try await channel.close()
    return port
}

private func container(ports: [ContainerPort] = []) -> Container {
    var container = Container()
    container.name = "app"
    container.ports = ports
    return container
}

private func httpProbe(path: String, port: IntOrString, timeout: Int32 = 1, headers: [HTTPHeader] = []) -> Probe {
    var action = HTTPGetAction()
    action.path = path
    action.port = port
    action.httpHeaders = headers
    var probe = Probe()
    probe.httpGet = action
    probe.timeoutSeconds = timeout
    return probe
}

private let noExec: ProbeRunner.Exec = { _, _, _ in Issue.record("exec not expected"); return (0, "") }

@Suite struct ProbeRunnerTests {
    @Test func httpGetSucceedsOn2xxAnd3xxAndSendsTheKubeletHeaders() async throws {
        try await withServer { port, lastRequest in
            let runner = ProbeRunner(exec: noExec)
            var header = HTTPHeader()
            header.name = "X-Probe"
            header.value = "yes"
            let ok = await runner.run(httpProbe(path: "/ok", port: .int(Int32(port)), headers: [header]),
                                      container: container(), containerID: "c1", podIP: "127.0.0.1")
            #expect(ok == .success)
            let request = lastRequest.get()
            #expect(request.hasPrefix("GET /ok HTTP/1.1"))
            #expect(request.contains("User-Agent: kube-probe/1.32"))
            #expect(request.contains("X-Probe: yes"))
            let redirected = await runner.run(httpProbe(path: "redirect", port: .int(Int32(port))),
                                              container: container(), containerID: "c1", podIP: "127.0.0.1")
            #expect(redirected == .success)
        }
    }

    @Test func httpGetFailsWithTheStatusCode() async throws {
        try await withServer { port, _ in
            let outcome = await ProbeRunner(exec: noExec).run(httpProbe(path: "/fail", port: .int(Int32(port))),
                                                              container: container(), containerID: "c1", podIP: "127.0.0.1")
            #expect(outcome == .failure(output: "HTTP probe failed with statuscode: 500"))
        }
    }

    @Test func httpGetResolvesNamedPorts() async throws {
        try await withServer { port, _ in
            var named = ContainerPort()
            named.name = "http"
            named.containerPort = Int32(port)
            let outcome = await ProbeRunner(exec: noExec).run(httpProbe(path: "/ok", port: .string("http")),
                                                              container: container(ports: [named]), containerID: "c1",
                                                              podIP: "127.0.0.1")
            #expect(outcome == .success)
            let missing = await ProbeRunner(exec: noExec).run(httpProbe(path: "/ok", port: .string("metrics")),
                                                              container: container(ports: [named]), containerID: "c1",
                                                              podIP: "127.0.0.1")
            #expect(missing == .failure(output: "couldn't find port: metrics in [{http 0 \(port) TCP }]"))
        }
    }

    @Test func httpGetTimesOut() async throws {
        try await withServer { port, _ in
            let outcome = await ProbeRunner(exec: noExec).run(httpProbe(path: "/hang", port: .int(Int32(port))),
                                                              container: container(), containerID: "c1", podIP: "127.0.0.1")
            #expect(outcome == .failure(output: "Get \"http://127.0.0.1:\(port)/hang\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"))
        }
    }

    @Test func refusedConnectionsReadAsGoPrintsThem() async throws {
        let port = try await closedPort()
        let runner = ProbeRunner(exec: noExec)
        let http = await runner.run(httpProbe(path: "/", port: .int(Int32(port))),
                                    container: container(), containerID: "c1", podIP: "127.0.0.1")
        #expect(http == .failure(output: "Get \"http://127.0.0.1:\(port)/\": dial tcp 127.0.0.1:\(port): connect: connection refused"))
        var tcp = Probe()
        var socket = TCPSocketAction()
        socket.port = .int(Int32(port))
        tcp.tcpSocket = socket
        let refused = await runner.run(tcp, container: container(), containerID: "c1", podIP: "127.0.0.1")
        #expect(refused == .failure(output: "dial tcp 127.0.0.1:\(port): connect: connection refused"))
    }

    @Test func tcpSocketSucceedsWhenSomethingListens() async throws {
        try await withServer { port, _ in
            var probe = Probe()
            var socket = TCPSocketAction()
            socket.port = .int(Int32(port))
            probe.tcpSocket = socket
            let outcome = await ProbeRunner(exec: noExec).run(probe, container: container(), containerID: "c1",
                                                              podIP: "127.0.0.1")
            #expect(outcome == .success)
        }
    }

    @Test func execUsesTheExitCodeAndOutput() async {
        let runner = ProbeRunner { id, command, _ in
            #expect(id == "c1")
            return command == ["true"] ? (0, "") : (1, "not ready\n")
        }
        var probe = Probe()
        var action = ExecAction()
        action.command = ["true"]
        probe.exec = action
        #expect(await runner.run(probe, container: container(), containerID: "c1", podIP: "10.42.0.2") == .success)
        action.command = ["cat", "/tmp/ready"]
        probe.exec = action
        #expect(await runner.run(probe, container: container(), containerID: "c1", podIP: "10.42.0.2")
            == .failure(output: "not ready\n"))
    }

    @Test func execTimesOutAfterTimeoutSeconds() async {
        let runner = ProbeRunner { _, _, _ in
            try await Task.sleep(for: .seconds(30))
            return (0, "")
        }
        var probe = Probe()
        var action = ExecAction()
        action.command = ["sleep", "30"]
        probe.exec = action
        probe.timeoutSeconds = 1
        let outcome = await runner.run(probe, container: container(), containerID: "c1", podIP: "10.42.0.2")
        #expect(outcome == .failure(output: "command \"sleep 30\" timed out"))
    }
}
