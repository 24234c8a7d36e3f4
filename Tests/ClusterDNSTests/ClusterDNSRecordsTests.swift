import APIModel
import Testing
@testable import ClusterDNS

@Suite struct ClusterDNSRecordsTests {
    static func service(_ name: String, ns: String = "default", clusterIP: String?, type: String? = nil,
                        ports: [ServicePort] = [ServicePort(name: "http", port: 80)], externalName: String? = nil) -> Service {
        var spec = ServiceSpec()
        spec.clusterIP = clusterIP
        spec.type = type
        spec.ports = ports
        spec.externalName = externalName
        return Service(metadata: ObjectMeta(name: name, namespace: ns), spec: spec)
    }

    static func slice(_ service: String, ns: String = "default", endpoints: [(ip: String, hostname: String?, ready: Bool)],
                      port: Int32 = 8080) -> EndpointSlice {
        EndpointSlice(metadata: ObjectMeta(labels: ["kubernetes.io/service-name": service], name: service + "-x", namespace: ns),
                      addressType: "IPv4",
                      endpoints: endpoints.map {
                          Endpoint(addresses: [$0.ip], conditions: EndpointConditions(ready: $0.ready), hostname: $0.hostname)
                      },
                      ports: [DiscoveryEndpointPort(name: "http", port: port, protocol: "TCP")])
    }

    static let records = ClusterDNSRecords(services: [
        service("web", clusterIP: "10.43.0.20"),
        service("db", clusterIP: "None"),
        service("ext", clusterIP: nil, type: "ExternalName", ports: [], externalName: "Example.COM."),
    ], slices: [
        slice("db", endpoints: [("10.42.0.7", "db-0", true), ("10.42.0.8", "db-1", true), ("10.42.0.9", nil, false)]),
    ])

    static func ask(_ name: String, _ type: DNSType = .a) -> DNSMessage {
        records.answer(DNSMessage(id: 7, recursionDesired: true, questions: [DNSQuestion(name: name, type: type.rawValue)]))
    }

    @Test func clusterIPServicesAnswerTheirIP() {
        let response = Self.ask("web.default.svc.cluster.local")
        #expect(response.rcode == .noError && response.authoritative && response.id == 7)
        #expect(response.answers == [DNSRecord(name: "web.default.svc.cluster.local", ttl: 5, data: .a(0x0A2B_0014))])
    }

    @Test func headlessServicesAnswerReadyEndpointsAndPerPodNames() {
        #expect(Self.ask("db.default.svc.cluster.local").answers.map(\.data) == [.a(0x0A2A_0007), .a(0x0A2A_0008)])
        #expect(Self.ask("db-1.db.default.svc.cluster.local").answers.map(\.data) == [.a(0x0A2A_0008)])
        #expect(Self.ask("db-2.db.default.svc.cluster.local").rcode == .nameError)
    }

    @Test func srvRecordsForNamedPortsWithTheirTargets() {
        let web = Self.ask("_http._tcp.web.default.svc.cluster.local", .srv)
        #expect(web.answers.map(\.data) == [.srv(priority: 0, weight: 100, port: 80, target: "web.default.svc.cluster.local")])
        #expect(web.additional.map(\.data) == [.a(0x0A2B_0014)])
        let db = Self.ask("_http._tcp.db.default.svc.cluster.local", .srv)
        #expect(db.answers.map(\.data) == [
            .srv(priority: 0, weight: 100, port: 8080, target: "db-0.db.default.svc.cluster.local"),
            .srv(priority: 0, weight: 100, port: 8080, target: "db-1.db.default.svc.cluster.local"),
        ])
        #expect(db.additional.count == 2)
    }

    @Test func externalNamesAreCNAMEs() {
        #expect(Self.ask("ext.default.svc.cluster.local").answers.map(\.data) == [.cname("example.com")])
    }

    @Test func missingNamesAndTypes() {
        let missing = Self.ask("nope.default.svc.cluster.local")
        #expect(missing.rcode == .nameError)
        #expect(missing.authority.first?.name == "cluster.local")
        let aaaa = Self.ask("web.default.svc.cluster.local", .aaaa)
        #expect(aaaa.rcode == .noError && aaaa.answers.isEmpty && aaaa.authority.count == 1)
        #expect(Self.ask("default.svc.cluster.local").rcode == .noError)
        #expect(Self.ask("example.org").rcode == .refused)
    }

    @Test func podsAndReverseLookups() {
        #expect(Self.ask("10-42-0-5.default.pod.cluster.local").answers.map(\.data) == [.a(0x0A2A_0005)])
        #expect(Self.ask("20.0.43.10.in-addr.arpa", .ptr).answers.map(\.data) == [.ptr("web.default.svc.cluster.local")])
        #expect(Self.ask("7.0.42.10.in-addr.arpa", .ptr).answers.map(\.data) == [.ptr("db-0.db.default.svc.cluster.local")])
    }

    @Test func messagesSurviveTheWire() throws {
        let query = DNSMessage(id: 0x1234, recursionDesired: true,
                               questions: [DNSQuestion(name: "web.default.svc.cluster.local", type: 1)], ednsUDPSize: 4096)
        let parsed = try DNSMessage(parsing: query.encoded())
        #expect(parsed == query)
        let response = Self.records.answer(parsed)
        let bytes = response.encoded()
        // Header: id, QR|AA|RD, one question, one answer, no authority, one additional (OPT).
        #expect(Array(bytes[0..<12]) == [0x12, 0x34, 0x85, 0x00, 0, 1, 0, 1, 0, 0, 0, 1])
        #expect(throws: DNSParseError.truncated) { try DNSMessage(parsing: Array(bytes[0..<20])) }
    }

    @Test func udpAnswersAreCutAndMarkedTruncated() {
        let many = (0..<60).map { (ip: "10.42.1.\($0 + 2)", hostname: "p\($0)" as String?, ready: true) }
        let records = ClusterDNSRecords(services: [Self.service("big", clusterIP: "None")], slices: [Self.slice("big", endpoints: many)])
        let response = records.answer(DNSMessage(id: 1, questions: [DNSQuestion(name: "big.default.svc.cluster.local", type: 1)]))
        #expect(response.answers.count == 60)
        let cut = response.encoded(limit: 512)
        #expect(cut.count <= 512)
        #expect(cut[2] & 0x02 != 0)
    }
}
