import ServiceProxy
import Testing

@Suite struct StaleUDPFlowsTests {
    private func service(_ name: String, proto: String = "udp", nodePort: Int32? = nil, _ ips: [String]) -> ProxiedService {
        ProxiedService(name: name, clusterIP: "10.43.0.20", port: 53, proto: proto, nodePort: nodePort, affinitySeconds: nil,
                       backends: ips.map { .init(ip: $0, port: 5353) })
    }

    @Test func removedEndpointsOfUDPServicesAreFlushed() {
        let deletions = StaleUDPFlows.deletions(from: [service("ns/dns:udp", nodePort: 30053, ["10.42.0.5", "10.42.0.6"])],
                                                to: [service("ns/dns:udp", nodePort: 30053, ["10.42.0.6"])])
        #expect(deletions.map(\.arguments) == [
            ["-p", "udp", "--orig-dst", "10.43.0.20", "--dst-nat", "10.42.0.5"],
            ["-p", "udp", "--orig-port-dst", "30053", "--dst-nat", "10.42.0.5"],
        ])
    }

    @Test func aServiceGoneFlushesAllItsEndpoints() {
        let deletions = StaleUDPFlows.deletions(from: [service("ns/a:udp", ["10.42.0.5"])], to: [])
        #expect(deletions.map(\.arguments) == [["-p", "udp", "--orig-dst", "10.43.0.20", "--dst-nat", "10.42.0.5"]])
    }

    @Test func firstEndpointsFlushTheRejectedFlows() {
        let deletions = StaleUDPFlows.deletions(from: [service("ns/a:udp", nodePort: 30053, [])],
                                                to: [service("ns/a:udp", nodePort: 30053, ["10.42.0.7"])])
        #expect(deletions.map(\.arguments) == [
            ["-p", "udp", "--orig-dst", "10.43.0.20", "--orig-port-dst", "53"],
            ["-p", "udp", "--orig-port-dst", "30053"],
        ])
        // A new Service with endpoints at once counts too; an unchanged one does not.
        #expect(StaleUDPFlows.deletions(from: [], to: [service("ns/b:udp", ["10.42.0.7"])]).count == 1)
        #expect(StaleUDPFlows.deletions(from: [service("ns/b:udp", ["10.42.0.7"])], to: [service("ns/b:udp", ["10.42.0.7"])]).isEmpty)
    }

    @Test func tcpNeedsNothing() {
        #expect(StaleUDPFlows.deletions(from: [service("ns/web:http", proto: "tcp", ["10.42.0.5"])], to: []).isEmpty)
    }
}
