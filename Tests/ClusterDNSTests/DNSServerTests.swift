import APIModel
import Foundation
import Logging
import Testing
@testable import ClusterDNS
#if canImport(Glibc)
import Glibc
#endif

/// The server on loopback over real UDP and TCP sockets.
@Suite struct DNSServerTests {
    static func withServer(_ body: @Sendable (Int) async throws -> Void) async throws {
        let records = ClusterDNSRecordsTests.records
        let server = DNSServer(host: "127.0.0.1", port: 0, logger: Logger(label: "test")) { records.answer($0) }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run { udp, _ in continuation.yield(udp) } }
            var iterator = ports.makeAsyncIterator()
            let port = await iterator.next()!
            try await body(port)
            group.cancelAll()
        }
    }

    static func query(_ name: String, id: UInt16) -> [UInt8] {
        DNSMessage(id: id, recursionDesired: true, questions: [DNSQuestion(name: name, type: 1)]).encoded()
    }

    /// One UDP exchange with a blocking socket (1 s timeout).
    static func udp(_ bytes: [UInt8], port: Int) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        #expect(sent == bytes.count)
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count > 0 else { throw POSIXError(.ETIMEDOUT) }
        return Array(buffer[0..<count])
    }

    static func tcp(_ bytes: [UInt8], port: Int) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        let framed = [UInt8(bytes.count >> 8), UInt8(bytes.count & 0xFF)] + bytes
        _ = send(fd, framed, framed.count, 0)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.count < 2 || received.count < 2 + (Int(received[0]) << 8 | Int(received[1])) {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            received += buffer[0..<count]
        }
        return Array(received.dropFirst(2))
    }

    @Test func answersOverUDPAndTCP() async throws {
        try await Self.withServer { port in
            let udp = try DNSMessage(parsing: try Self.udp(Self.query("web.default.svc.cluster.local", id: 41), port: port))
            #expect(udp.id == 41 && udp.isResponse && udp.rcode == .noError)
            #expect(udp.answers == [DNSRecord(name: "web.default.svc.cluster.local", ttl: 5, data: .a(0x0A2B_0014))])
            let tcp = try DNSMessage(parsing: try Self.tcp(Self.query("nope.default.svc.cluster.local", id: 42), port: port))
            #expect(tcp.id == 42 && tcp.rcode == .nameError)
            #expect(tcp.authority.first?.name == "cluster.local")
        }
    }

    @Test func malformedQueriesGetFormErrWhenTheHeaderReads() async throws {
        try await Self.withServer { port in
            var bytes = Self.query("web.default.svc.cluster.local", id: 43)
            bytes = Array(bytes[0..<16])
            let response = try Self.udp(bytes, port: port)
            #expect(Array(response[0..<2]) == [0, 43])
            #expect(response[3] & 0x0F == DNSResponseCode.formatError.rawValue)
        }
    }
}

/// Forwarding names outside the zone, only when an upstream is configured.
@Suite struct DNSForwardingTests {
    /// An "upstream" on loopback answering every A query with 192.0.2.7.
    static func withUpstream(_ body: @Sendable (Int) async throws -> Void) async throws {
        let upstream = DNSServer(host: "127.0.0.1", port: 0, logger: Logger(label: "test")) { query in
            var response = DNSMessage(id: query.id, isResponse: true, recursionDesired: query.recursionDesired,
                                      recursionAvailable: true, questions: query.questions)
            response.answers = query.questions.map { DNSRecord(name: $0.name, ttl: 30, data: .a(0xC000_0207)) }
            return response
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await upstream.run { udp, _ in continuation.yield(udp) } }
            var iterator = ports.makeAsyncIterator()
            try await body(await iterator.next()!)
            group.cancelAll()
        }
    }

    static func withClusterDNS(upstream: DNSUpstream?, _ body: @Sendable (Int) async throws -> Void) async throws {
        let records = ClusterDNSRecordsTests.records
        let server = DNSServer(host: "127.0.0.1", port: 0, upstream: upstream, logger: Logger(label: "test")) { records.answer($0) }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run { udp, tcp in continuation.yield(udp); continuation.yield(tcp) } }
            var iterator = ports.makeAsyncIterator()
            let udp = await iterator.next()!
            _ = await iterator.next()
            try await body(udp)
            group.cancelAll()
        }
    }

    @Test func outsideNamesGoUpstreamOnlyWhenConfigured() async throws {
        try await Self.withUpstream { upstreamPort in
            try await Self.withClusterDNS(upstream: DNSUpstream("127.0.0.1:\(upstreamPort)")) { port in
                let forwarded = try DNSMessage(parsing: try DNSServerTests.udp(DNSServerTests.query("example.test", id: 77), port: port))
                #expect(forwarded.id == 77 && forwarded.rcode == .noError)
                #expect(forwarded.answers == [DNSRecord(name: "example.test", ttl: 30, data: .a(0xC000_0207))])
                let tcp = try DNSMessage(parsing: try DNSServerTests.tcp(DNSServerTests.query("example.test", id: 78), port: port))
                #expect(tcp.id == 78 && tcp.answers.count == 1)
                // Names in the zone are still answered here.
                let local = try DNSMessage(parsing: try DNSServerTests.udp(DNSServerTests.query("web.default.svc.cluster.local", id: 79), port: port))
                #expect(local.answers.first?.data == .a(0x0A2B_0014))
            }
        }
        try await Self.withClusterDNS(upstream: nil) { port in
            let refused = try DNSMessage(parsing: try DNSServerTests.udp(DNSServerTests.query("example.test", id: 80), port: port))
            #expect(refused.rcode == .refused)
        }
    }

    @Test func anUpstreamThatDoesNotAnswerIsServFail() async throws {
        // A port nothing listens on: the exchange times out.
        let silent = DNSUpstream("127.0.0.1:9", timeoutMilliseconds: 200)
        try await Self.withClusterDNS(upstream: silent) { port in
            let failed = try DNSMessage(parsing: try DNSServerTests.udp(DNSServerTests.query("example.test", id: 81), port: port))
            #expect(failed.id == 81 && failed.rcode == .serverFailure)
        }
        #expect(DNSUpstream("example.com") == nil && DNSUpstream("10.0.0.1:99999") == nil && DNSUpstream("10.0.0.1")?.port == 53)
    }
}
