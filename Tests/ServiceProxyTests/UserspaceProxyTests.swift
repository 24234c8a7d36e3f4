import Foundation
import Logging
import NIOCore
import NIOPosix
@testable import PodNetwork
@testable import ServiceProxy
import Synchronization
import Testing

/// The userspace proxy against real sockets, on loopback only: 127.0.0.2–127.0.0.9 play cluster IPs (all of
/// 127/8 is local on Linux), backends are small NIO servers on 127.0.0.1 that answer with their name.
@Suite(.serialized) struct UserspaceProxyTests {
    // MARK: the pure parts

    @Test func roundRobinThenStickyPerClient() {
        let backends = [ProxiedService.Backend(ip: "10.42.0.5", port: 80), .init(ip: "10.42.0.6", port: 80)]
        var spread = BackendSelection(backends: backends, affinitySeconds: nil)
        let start = ContinuousClock.now
        #expect((0..<4).map { _ in spread.pick(clientIP: "10.0.0.1", now: start)?.ip }
            == ["10.42.0.5", "10.42.0.6", "10.42.0.5", "10.42.0.6"])

        var sticky = BackendSelection(backends: backends, affinitySeconds: 10)
        #expect(sticky.pick(clientIP: "10.0.0.1", now: start)?.ip == "10.42.0.5")
        #expect(sticky.pick(clientIP: "10.0.0.2", now: start)?.ip == "10.42.0.6")
        #expect(sticky.pick(clientIP: "10.0.0.1", now: start + .seconds(9))?.ip == "10.42.0.5")
        // Each use renews the affinity; 10 s without one ends it.
        #expect(sticky.pick(clientIP: "10.0.0.1", now: start + .seconds(18))?.ip == "10.42.0.5")
        #expect(sticky.pick(clientIP: "10.0.0.1", now: start + .seconds(28))?.ip == "10.42.0.5")
        #expect(sticky.pick(clientIP: "10.0.0.1", now: start + .seconds(38))?.ip == "10.42.0.6")

        sticky.update(backends: [backends[0]], affinitySeconds: 10)
        #expect(sticky.pick(clientIP: "10.0.0.1", now: start + .seconds(39))?.ip == "10.42.0.5")
        sticky.update(backends: [], affinitySeconds: 10)
        #expect(sticky.pick(clientIP: "10.0.0.1", now: start + .seconds(40)) == nil)
    }

    @Test func planListensOnClusterIPAndNodePortAndReportsConflicts() {
        let backend = ProxiedService.Backend(ip: "10.42.0.5", port: 8080)
        let plan = UserspaceListenerPlan(services: [
            ProxiedService(name: "ns/a", clusterIP: "10.43.0.20", port: 80, proto: "tcp", nodePort: 30080,
                           affinitySeconds: nil, backends: [backend]),
            ProxiedService(name: "ns/b", clusterIP: "10.43.0.20", port: 80, proto: "tcp", nodePort: nil,
                           affinitySeconds: nil, backends: []),
            ProxiedService(name: "ns/b:dns", clusterIP: "10.43.0.20", port: 80, proto: "udp", nodePort: nil,
                           affinitySeconds: 5, backends: []),
            ProxiedService(name: "ns/c", clusterIP: "10.43.0.21", port: 9, proto: "sctp", nodePort: nil,
                           affinitySeconds: nil, backends: [backend]),
        ], nodePortAddress: "0.0.0.0")
        #expect(plan.listeners == [
            ListenerAddress(host: "10.43.0.20", port: 80, transport: .tcp): .init(serviceName: "ns/a", backends: [backend]),
            ListenerAddress(host: "0.0.0.0", port: 30080, transport: .tcp): .init(serviceName: "ns/a", backends: [backend]),
            ListenerAddress(host: "10.43.0.20", port: 80, transport: .udp): .init(serviceName: "ns/b:dns", backends: [],
                                                                                 affinitySeconds: 5),
        ])
        #expect(plan.conflicts == [.init(address: ListenerAddress(host: "10.43.0.20", port: 80, transport: .tcp),
                                         serviceName: "ns/b", heldBy: "ns/a")])
    }

    @Test func clusterIPAddressesChangeOnlyWhatDiffers() {
        func service(_ ip: String, _ proto: String = "tcp") -> ProxiedService {
            ProxiedService(name: ip, clusterIP: ip, port: 80, proto: proto, nodePort: nil, affinitySeconds: nil, backends: [])
        }
        let before = ClusterIPAddresses(services: [service("10.43.0.20"), service("10.43.0.21")])
        let after = ClusterIPAddresses(services: [service("10.43.0.21"), service("10.43.0.21", "udp"),
                                                  service("10.43.0.22"), service("10.43.0.23", "sctp"),
                                                  service("10.43.0.10", "udp")],
                                       excluded: ["10.43.0.10"])
        #expect(after.addresses == ["10.43.0.21", "10.43.0.22"])
        #expect(after.changes(from: before).map(\.command) == [
            ["ip", "addr", "replace", "10.43.0.22/32", "dev", "lo"],
            ["ip", "addr", "del", "10.43.0.20/32", "dev", "lo"],
        ])
        #expect(after.changes(from: after).isEmpty)
        #expect(ClusterIPAddresses(addresses: ["fd00::1"]).changes(from: .init(addresses: [])).map(\.command)
            == [["ip", "addr", "replace", "fd00::1/128", "dev", "lo"]])
    }

    /// In a network namespace of the test's own (never the test process's): the cluster IPs put on its `lo`,
    /// then the ones no longer wanted deleted, and all of them by `removeAddresses`.
    @Test func clusterIPsAreKeptOnTheNodesLoopback() async throws {
        guard getuid() == 0 else {
            Issue.record("the cluster IP test needs root, for a network namespace of its own (CI runs it as root)")
            return
        }
        let name = "skiff-test-node-" + String(UUID().uuidString.prefix(8)).lowercased()
        let added = try await CommandRunner.run(["ip", "netns", "add", name])
        try #require(added.succeeded, "ip netns add: \(added.message)")
        let node = NodeNamespace(path: "/var/run/netns/" + name)
        func addressesOnLo() async throws -> [String] {
            let output = try await node.run(["ip", "-4", "-o", "addr", "show", "dev", "lo"])
            return String(decoding: output.stdout, as: UTF8.self).split(separator: "\n")
                .compactMap { $0.split(separator: " ").drop { $0 != "inet" }.dropFirst().first.map(String.init) }
        }
        let proxy = UserspaceProxy(threads: 1)
        do {
            await proxy.changeAddresses(to: ClusterIPAddresses(addresses: ["10.43.0.20", "10.43.0.21"]), on: node,
                                        additionsOnly: false)
            #expect(try await addressesOnLo() == ["10.43.0.20/32", "10.43.0.21/32"])
            // Additions first: the old address stays until the deletions.
            await proxy.changeAddresses(to: ClusterIPAddresses(addresses: ["10.43.0.21", "10.43.0.22"]), on: node,
                                        additionsOnly: true)
            #expect(try await addressesOnLo() == ["10.43.0.20/32", "10.43.0.21/32", "10.43.0.22/32"])
            await proxy.changeAddresses(to: ClusterIPAddresses(addresses: ["10.43.0.21", "10.43.0.22"]), on: node,
                                        additionsOnly: false)
            #expect(try await addressesOnLo() == ["10.43.0.21/32", "10.43.0.22/32"])
            await proxy.removeAddresses(from: node)
            #expect(try await addressesOnLo().isEmpty)
        } catch {
            await proxy.stop()
            _ = try? await CommandRunner.run(["ip", "netns", "del", name])
            throw error
        }
        await proxy.stop()
        _ = try? await CommandRunner.run(["ip", "netns", "del", name])
    }

    // MARK: TCP

    @Test func roundRobinReachesEveryBackend() async throws {
        try await withProxy { proxy, backends in
            let service = try tcpService("127.0.0.2", backends: backends.tcp)
            await proxy.apply([service])
            var seen: [String: Int] = [:]
            for _ in 0..<6 {
                let socket = try TestSocket.connectTCP("127.0.0.2", Int(service.port))
                seen[try socket.readLine(), default: 0] += 1
            }
            #expect(seen == ["b0": 2, "b1": 2, "b2": 2])
        }
    }

    @Test func clientIPAffinitySticks() async throws {
        try await withProxy { proxy, backends in
            var service = try tcpService("127.0.0.3", backends: backends.tcp)
            service.affinitySeconds = 3600
            await proxy.apply([service])
            var seen: Set<String> = []
            for _ in 0..<5 {
                seen.insert(try TestSocket.connectTCP("127.0.0.3", Int(service.port)).readLine())
            }
            #expect(seen.count == 1)
        }
    }

    @Test func aBackendChangeKeepsTheListenerAndConnectionsInProgress() async throws {
        try await withProxy { proxy, backends in
            var (service, connection) = try await connectThrough(proxy, "127.0.0.4", to: backends.tcp, 0)

            service.backends = [backends.tcp[1]]
            await proxy.apply([service])
            try connection.send(Array("still there\n".utf8))
            #expect(try connection.readLine() == "still there")
            #expect(try TestSocket.connectTCP("127.0.0.4", Int(service.port)).readLine() == "b1")
        }
    }

    @Test func removingTheServiceClosesItsListener() async throws {
        try await withProxy { proxy, backends in
            let service = try tcpService("127.0.0.5", backends: backends.tcp)
            await proxy.apply([service])
            #expect(try TestSocket.connectTCP("127.0.0.5", Int(service.port)).readLine().hasPrefix("b"))
            await proxy.apply([])
            #expect(throws: TestSocket.Failure.refused) { try TestSocket.connectTCP("127.0.0.5", Int(service.port)) }
        }
    }

    @Test func withoutBackendsAConnectionIsClosedAtOnce() async throws {
        try await withProxy { proxy, _ in
            let service = try tcpService("127.0.0.6", backends: [])
            await proxy.apply([service])
            let socket = try TestSocket.connectTCP("127.0.0.6", Int(service.port))
            // A reset, as the nftables rules reject: never data, never the 10 s receive timeout.
            #expect(throws: TestSocket.Failure.reset) { try socket.readLine() }
        }
    }

    @Test func anUnreachableBackendClosesTheConnection() async throws {
        try await withProxy { proxy, _ in
            let nobody = ProxiedService.Backend(ip: "127.0.0.1", port: Int32(try TestSocket.freePort()))
            let service = try tcpService("127.0.0.6", backends: [nobody])
            await proxy.apply([service])
            let socket = try TestSocket.connectTCP("127.0.0.6", Int(service.port))
            #expect(throws: TestSocket.Failure.closed) { try socket.readLine() }
        }
    }

    @Test func aLargeTransferIsRelayedIntactBothWays() async throws {
        try await withProxy { proxy, backends in
            let (_, socket) = try await connectThrough(proxy, "127.0.0.7", to: backends.tcp, 2)
            var generator = SystemRandomNumberGenerator()
            let payload = (0..<(4 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Sent from a thread of its own while this one reads: the echo can only go on as fast as it is read.
            let outcome = SendOutcome()
            Thread { outcome.finish(Result { try socket.send(payload); socket.shutdownOutput() }) }.start()
            let echoed = try socket.readToEnd()
            try await outcome.wait()
            // Compared as one flag: a failure must not print megabytes.
            let intact = echoed == payload
            #expect(echoed.count == payload.count)
            #expect(intact)
        }
    }

    /// The client ends its input first, then the backend sends more than the sockets buffer and closes: the
    /// relay must still deliver all of it (closing the client's side when the backend's closes would cut it).
    /// A small receive buffer keeps writes towards the client pending in the relay.
    @Test func whatABackendSendsBeforeClosingIsDeliveredInFull() async throws {
        try await withProxy { proxy, backends in
            let service = try tcpService("127.0.0.5", backends: [backends.bulk])
            await proxy.apply([service])
            let socket = try TestSocket.connectTCP("127.0.0.5", Int(service.port), receiveBuffer: 4096)
            #expect(try socket.readLine() == "b3")
            try socket.send(Array("request\n".utf8))
            socket.shutdownOutput()
            // Not reading for a moment lets the trailer pile up in the relay (correctness does not depend on it).
            try await Task.sleep(for: .milliseconds(300))
            let received = try socket.readToEnd()
            let expected = Array("request\n".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: TestBackends.bulkTrailer)
            let intact = received == expected
            #expect(received.count == expected.count)
            #expect(intact)
        }
    }

    @Test func aNodePortListensOnTheNodePortAddress() async throws {
        try await withProxy { proxy, backends in
            var service = try tcpService("127.0.0.8", backends: [backends.tcp[1]])
            service.nodePort = Int32(try TestSocket.freePort())
            await proxy.apply([service])
            #expect(try TestSocket.connectTCP("127.0.0.1", Int(service.nodePort!)).readLine() == "b1")
            #expect(try TestSocket.connectTCP("127.0.0.8", Int(service.port)).readLine() == "b1")

            // With affinity, one choice per client (127.0.0.1 either way) whichever listener it comes through; a
            // connection beforehand moves the cluster IP's turn, so separate choices per listener would differ.
            service.backends = backends.tcp
            await proxy.apply([service])
            #expect(try TestSocket.connectTCP("127.0.0.8", Int(service.port)).readLine() == "b0")
            service.affinitySeconds = 3600
            await proxy.apply([service])
            var seen: Set<String> = []
            for _ in 0..<3 {
                seen.insert(try TestSocket.connectTCP("127.0.0.8", Int(service.port)).readLine())
                seen.insert(try TestSocket.connectTCP("127.0.0.1", Int(service.nodePort!)).readLine())
            }
            #expect(seen.count == 1)
        }
    }

    @Test func stopClosesListenersAndConnections() async throws {
        try await withProxy { proxy, backends in
            let (service, connection) = try await connectThrough(proxy, "127.0.0.6", to: backends.tcp, 1)
            await proxy.stop()
            do {
                _ = try connection.readLine()
                Issue.record("the connection still carries data after stop()")
            } catch {
                let failure = error as? TestSocket.Failure
                #expect(failure == .closed || failure == .reset)
            }
            #expect(throws: TestSocket.Failure.refused) { try TestSocket.connectTCP("127.0.0.6", Int(service.port)) }
        }
    }

    @Test func conflictsAndBindFailuresAreLoggedAndRetried() async throws {
        let logs = RecordedLogs()
        try await withProxy(logs: logs) { proxy, backends in
            let first = try tcpService("127.0.0.9", backends: [backends.tcp[0]], name: "ns/first")
            var second = first
            second.name = "ns/second"
            second.backends = [backends.tcp[1]]
            await proxy.apply([first, second])
            #expect(try TestSocket.connectTCP("127.0.0.9", Int(first.port)).readLine() == "b0")
            #expect(logs.errors.contains { $0.contains("ns/second") && $0.contains("already used by ns/first") })

            await proxy.apply([second])
            #expect(try TestSocket.connectTCP("127.0.0.9", Int(first.port)).readLine() == "b1")

            // An address held by another socket: logged, then bound at the first apply after it is freed.
            let blocker = try TestSocket.listenTCP("127.0.0.9")
            let third = try tcpService("127.0.0.9", backends: [backends.tcp[2]], name: "ns/third", port: blocker.port)
            await proxy.apply([second, third])
            #expect(logs.errors.contains { $0.contains("ns/third") && $0.contains("cannot listen") })
            blocker.close()
            await proxy.apply([second, third])
            #expect(try TestSocket.connectTCP("127.0.0.9", blocker.port).readLine() == "b2")
            #expect(try TestSocket.connectTCP("127.0.0.9", Int(first.port)).readLine() == "b1")
        }
    }

    // MARK: UDP

    @Test func udpRepliesComeBackAndASessionMovesWhenItsBackendGoes() async throws {
        try await withProxy { proxy, backends in
            var service = try tcpService("127.0.0.2", backends: backends.udp, port: TestSocket.freePort(udp: true))
            service.proto = "udp"
            await proxy.apply([service])
            let client = try TestSocket.udp()
            try client.sendDatagram("hello", to: "127.0.0.2", Int(service.port))
            let first = try client.receiveDatagram()
            #expect(first == "u0:hello" || first == "u1:hello")
            try client.sendDatagram("again", to: "127.0.0.2", Int(service.port))
            #expect(try client.receiveDatagram() == first.replacingOccurrences(of: "hello", with: "again"))

            let remaining = first.hasPrefix("u0") ? "u1" : "u0"
            service.backends = [backends.udp[remaining == "u0" ? 0 : 1]]
            await proxy.apply([service])
            try client.sendDatagram("moved", to: "127.0.0.2", Int(service.port))
            #expect(try client.receiveDatagram() == "\(remaining):moved")
        }
    }

    @Test func udpSessionsExpireWhenIdle() async throws {
        try await withProxy(udpSessionTimeout: .milliseconds(200)) { proxy, backends in
            var service = try tcpService("127.0.0.3", backends: [backends.udp[0]], port: TestSocket.freePort(udp: true))
            service.proto = "udp"
            await proxy.apply([service])
            let client = try TestSocket.udp()
            try client.sendDatagram("one", to: "127.0.0.3", Int(service.port))
            #expect(try client.receiveDatagram() == "u0:one")
            #expect(backends.udpSessions() == 1)
            // Idle past the timeout, the next datagram opens a new session (a new source port at the backend).
            // Ever longer pauses, so that a slow machine cannot make the test fail: each datagram renews the session.
            var pause = Duration.milliseconds(500)
            while backends.udpSessions() < 2, pause <= .seconds(8) {
                try await Task.sleep(for: pause)
                try client.sendDatagram("two", to: "127.0.0.3", Int(service.port))
                #expect(try client.receiveDatagram() == "u0:two")
                pause *= 2
            }
            #expect(backends.udpSessions() == 2)
        }
    }

    // MARK: fixtures

    /// A TCP Service port on `clusterIP` (a free port unless given) over `backends`.
    private func tcpService(_ clusterIP: String, backends: [ProxiedService.Backend], name: String = "ns/svc",
                            port: Int? = nil) throws -> ProxiedService {
        ProxiedService(name: name, clusterIP: clusterIP, port: Int32(try port ?? TestSocket.freePort()), proto: "tcp",
                       nodePort: nil, affinitySeconds: nil, backends: backends)
    }

    /// A connection through a Service on `clusterIP` whose one backend is `backends[index]`, past the
    /// backend's greeting.
    private func connectThrough(_ proxy: UserspaceProxy, _ clusterIP: String, to backends: [ProxiedService.Backend],
                                _ index: Int) async throws -> (ProxiedService, TestSocket) {
        let service = try tcpService(clusterIP, backends: [backends[index]])
        await proxy.apply([service])
        let socket = try TestSocket.connectTCP(clusterIP, Int(service.port))
        #expect(try socket.readLine() == "b\(index)")
        return (service, socket)
    }

    /// Runs `body` with a proxy and the test backends, then stops both whatever happens.
    private func withProxy(logs: RecordedLogs = RecordedLogs(), udpSessionTimeout: Duration = .seconds(30),
                           _ body: (UserspaceProxy, TestBackends) async throws -> Void) async throws {
        let backends = try await TestBackends.start()
        let proxy = UserspaceProxy(nodePortAddress: "127.0.0.1", udpSessionTimeout: udpSessionTimeout, threads: 1,
                                   logger: logs.logger)
        do {
            try await body(proxy, backends)
        } catch {
            await proxy.stop()
            await backends.stop()
            throw error
        }
        await proxy.stop()
        await backends.stop()
    }
}

/// Three TCP backends (`b0`…`b2`: each sends its name and a newline, then echoes what it reads until the
/// client's end of stream, then closes), a fourth that sends a trailer before closing (`bulk`) and two UDP ones (`u0`, `u1`: each answers a datagram with `name:datagram`), on
/// 127.0.0.1.
struct TestBackends {
    let group: MultiThreadedEventLoopGroup
    let channels: [Channel]
    let tcp: [ProxiedService.Backend]
    /// `b3`: an echo that, at the end of the client's input, sends `bulkTrailer` more bytes (`a`) before closing.
    let bulk: ProxiedService.Backend
    let udp: [ProxiedService.Backend]
    static let bulkTrailer = 8 << 20
    private let udpClients: UDPClientLog

    static func start() async throws -> TestBackends {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var channels: [Channel] = []
        for index in 0..<4 {
            channels.append(try await ServerBootstrap(group: group)
                .childChannelOption(.allowRemoteHalfClosure, value: true)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            NamedEcho(name: "b\(index)", trailer: index == 3 ? bulkTrailer : 0))
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get())
        }
        let udpClients = UDPClientLog()
        for index in 0..<2 {
            channels.append(try await DatagramBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(NamedDatagramEcho(name: "u\(index)", clients: udpClients))
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get())
        }
        let backends = channels.map { ProxiedService.Backend(ip: "127.0.0.1", port: Int32($0.localAddress!.port!)) }
        return TestBackends(group: group, channels: channels, tcp: Array(backends[0..<3]), bulk: backends[3],
                            udp: Array(backends[4...]), udpClients: udpClients)
    }

    /// How many distinct source addresses (proxy sessions) the UDP backends have heard from.
    func udpSessions() -> Int {
        udpClients.count
    }

    func stop() async {
        for channel in channels { try? await channel.close() }
        try? await group.shutdownGracefully()
    }
}

final class UDPClientLog: Sendable {
    private let clients = Mutex<Set<String>>([])

    func record(_ address: SocketAddress) {
        _ = clients.withLock { $0.insert("\(address)") }
    }

    var count: Int { clients.withLock { $0.count } }
}

final class NamedEcho: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let name: String
    let trailer: Int

    init(name: String, trailer: Int) {
        self.name = name
        self.trailer = trailer
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "\(name)\n")), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(repeating: UInt8(ascii: "a"), count: trailer)))
                .whenComplete { _ in bound.value.close(promise: nil) }
        }
    }
}

final class NamedDatagramEcho: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>
    let name: String
    let clients: UDPClientLog

    init(name: String, clients: UDPClientLog) {
        self.name = name
        self.clients = clients
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        clients.record(envelope.remoteAddress)
        let reply = ByteBuffer(string: "\(name):\(String(buffer: envelope.data))")
        context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: reply)),
                              promise: nil)
    }
}

/// How a sending thread ended, awaited by the test that started it.
final class SendOutcome: Sendable {
    private let result = Mutex<Result<Void, any Error>?>(nil)

    func finish(_ outcome: Result<Void, any Error>) {
        result.withLock { $0 = outcome }
    }

    /// Returns (or throws) once the thread has finished; polls, since the thread ends soon after the reader.
    func wait() async throws {
        while true {
            if let outcome = result.withLock({ $0 }) { return try outcome.get() }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// The error-level messages a logger was given.
final class RecordedLogs: Sendable {
    private let messages = Mutex<[String]>([])

    var errors: [String] { messages.withLock { $0 } }

    var logger: Logger {
        Logger(label: "skiff.proxy.test") { _ in Handler(logs: self) }
    }

    struct Handler: LogHandler {
        let logs: RecordedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            guard event.level >= .error else { return }
            logs.messages.withLock { $0.append("\(event.message)") }
        }
    }
}

/// A blocking client socket with a 10 s receive timeout (generous: nothing here should take more than a moment).
final class TestSocket: @unchecked Sendable {
    enum Failure: Error, Equatable {
        case refused, closed, reset, timedOut, system(Int32)
    }

    private let descriptor: Int32
    private var buffered: [UInt8] = []
    private var isClosed = false
    let port: Int

    private init(descriptor: Int32, port: Int = 0) {
        self.descriptor = descriptor
        self.port = port
    }

    deinit {
        close()
    }

    /// Closes the socket (once: a descriptor closed twice could be another socket's by then).
    func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(descriptor)
    }

    private static func socket(udp: Bool) throws(Failure) -> Int32 {
        let descriptor = Glibc.socket(AF_INET, Int32(udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw .system(errno) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return descriptor
    }

    private static func address(_ host: String, _ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        return address
    }

    private static func withSockaddr<T>(_ address: sockaddr_in, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        withUnsafePointer(to: address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    private static func boundPort(_ descriptor: Int32) -> Int {
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: bound.sin_port))
    }

    /// A connected socket; `receiveBuffer` shrinks its kernel receive buffer (so that senders must wait on it).
    static func connectTCP(_ host: String, _ port: Int, receiveBuffer: Int32? = nil) throws(Failure) -> TestSocket {
        let descriptor = try socket(udp: false)
        if var size = receiveBuffer {
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        let result = withSockaddr(address(host, port)) { Glibc.connect(descriptor, $0, $1) }
        guard result == 0 else {
            let error = errno
            Glibc.close(descriptor)
            throw error == ECONNREFUSED ? .refused : .system(error)
        }
        return TestSocket(descriptor: descriptor)
    }

    /// A TCP socket listening on `host`, on a port of the kernel's choice (`port`).
    static func listenTCP(_ host: String) throws(Failure) -> TestSocket {
        let descriptor = try socket(udp: false)
        guard withSockaddr(address(host, 0), { bind(descriptor, $0, $1) }) == 0, listen(descriptor, 1) == 0 else {
            let error = errno
            Glibc.close(descriptor)
            throw .system(error)
        }
        return TestSocket(descriptor: descriptor, port: boundPort(descriptor))
    }

    /// A port that was free on 127.0.0.1 a moment ago.
    static func freePort(udp: Bool = false) throws(Failure) -> Int {
        let descriptor = try socket(udp: udp)
        defer { Glibc.close(descriptor) }
        guard withSockaddr(address("127.0.0.1", 0), { bind(descriptor, $0, $1) }) == 0 else { throw .system(errno) }
        return boundPort(descriptor)
    }

    static func udp() throws(Failure) -> TestSocket {
        TestSocket(descriptor: try socket(udp: true))
    }

    func send(_ bytes: [UInt8]) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw .system(errno) }
            offset += sent
        }
    }

    func shutdownOutput() {
        shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Up to 64 KiB; throws `.closed` at the end of the stream, `.reset` on a reset.
    private func receiveSome() throws(Failure) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count > 0 { return Array(chunk[0..<count]) }
        if count == 0 { throw .closed }
        if errno == ECONNRESET { throw .reset }
        throw errno == EAGAIN || errno == EWOULDBLOCK ? .timedOut : .system(errno)
    }

    /// The next line, without its newline.
    func readLine() throws(Failure) -> String {
        while !buffered.contains(UInt8(ascii: "\n")) {
            buffered += try receiveSome()
        }
        let end = buffered.firstIndex(of: UInt8(ascii: "\n"))!
        defer { buffered.removeFirst(end + 1) }
        return String(decoding: buffered[..<end], as: UTF8.self)
    }

    /// Everything until the end of the stream.
    func readToEnd() throws(Failure) -> [UInt8] {
        var received = buffered
        buffered = []
        while true {
            do { received += try receiveSome() } catch .closed { return received }
        }
    }

    func sendDatagram(_ text: String, to host: String, _ port: Int) throws(Failure) {
        let bytes = Array(text.utf8)
        let sent = Self.withSockaddr(Self.address(host, port)) { target, length in
            bytes.withUnsafeBytes { sendto(descriptor, $0.baseAddress, $0.count, 0, target, length) }
        }
        guard sent == bytes.count else { throw .system(errno) }
    }

    func receiveDatagram() throws(Failure) -> String {
        String(decoding: try receiveSome(), as: UTF8.self)
    }
}
