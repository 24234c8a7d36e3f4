import APIClient
import APIModel
import Testing
import TestSupport
@testable import ClusterDNS

/// The service against an in-process API: records follow Services as they come and go, served on loopback.
@Suite struct ClusterDNSServiceTests {
    @Test func recordsFollowTheAPI() async throws {
        try await InProcessCluster.with { cluster in
            let dns = ClusterDNSService(client: cluster.client, host: "127.0.0.1", port: 0)
            let (ports, continuation) = AsyncStream<Int>.makeStream()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await dns.run { udp, _ in continuation.yield(udp) } }
                var iterator = ports.makeAsyncIterator()
                let port = await iterator.next()!
                var spec = ServiceSpec()
                spec.clusterIP = "10.43.7.7"
                spec.ports = [ServicePort(port: 80)]
                _ = try await cluster.client.create(Service(metadata: ObjectMeta(name: "web", namespace: "default"), spec: spec),
                                                    namespace: "default")
                let query = DNSServerTests.query("web.default.svc.cluster.local", id: 9)
                try await eventually("the Service's A record over UDP") {
                    let answer = try DNSMessage(parsing: try DNSServerTests.udp(query, port: port))
                    return answer.answers.first?.data == .a(0x0A2B_0707)
                }
                _ = try await cluster.client.delete(Service.self, name: "web", namespace: "default")
                try await eventually("NXDOMAIN once the Service is gone") {
                    try DNSMessage(parsing: try DNSServerTests.udp(query, port: port)).rcode == .nameError
                }
                group.cancelAll()
            }
        }
    }
}
