import APIModel
import Foundation
import Logging
import Storage
import Testing
@testable import APIServer

/// Cluster IPs and node ports: ranges, the per-write plan, reservations in the store, and their repair.
@Suite("Service allocation")
struct ServiceAllocationTests {
    static let services = "/api/v1/namespaces/default/services"

    static func service(_ name: String, _ spec: String) -> String {
        #"{"metadata":{"name":"\#(name)"},"spec":\#(spec)}"#
    }

    @Test func rangesKnowTheirUsableAddressesAndBands() throws {
        let ranges = ServiceRanges.default
        #expect(ranges.cidr == "10.43.0.0/16")
        #expect(ranges.kubernetesServiceIP == "10.43.0.1")
        #expect(ranges.offset(of: "10.43.1.2") == 258)
        #expect(ranges.offset(of: "10.43.0.0") == nil)
        #expect(ranges.offset(of: "10.43.255.255") == nil)
        #expect(ranges.offset(of: "10.44.0.1") == nil)
        #expect(ranges.offset(of: "10.43.01.1") == nil)
        #expect(ranges.automaticIPOffsets.preferred == 256..<65535)
        #expect(ranges.automaticNodePorts.preferred == 30086...32767)
        #expect(ServiceRanges(cidr: "10.43.0.0/33", nodePorts: 1...2) == nil)
        #expect(ServiceRanges(cidr: "10.43.7.9/24", nodePorts: 1...2)?.cidr == "10.43.7.0/24")
    }

    @Test func planReservesWhatIsNewAndReleasesWhatIsGone() {
        var spec = ServiceSpec()
        spec.type = "NodePort"
        spec.ports = [ServicePort(port: 80), ServicePort(nodePort: 30080, port: 81), ServicePort(nodePort: 30080, port: 82)]
        let create = ServiceAllocationPlan(new: spec, old: nil)
        #expect(create.allocateIP)
        #expect(create.allocateNodePorts == [0])
        #expect(create.requestedNodePorts.map(\.port) == [30080])

        var stored = spec
        stored.clusterIP = "10.43.9.9"
        stored.ports![0].nodePort = 31000
        var toClusterIP = stored
        toClusterIP.type = "ClusterIP"
        toClusterIP.ports = toClusterIP.ports!.map { var port = $0; port.nodePort = nil; return port }
        let change = ServiceAllocationPlan(new: toClusterIP, old: stored)
        #expect(!change.allocateIP && change.requestedIP == nil && change.allocateNodePorts.isEmpty)
        #expect(change.releasedNodePorts == [30080, 31000])
        #expect(change.releasedIPs.isEmpty)

        var headless = ServiceSpec()
        headless.clusterIP = "None"
        #expect(ServiceAllocationPlan(new: headless, old: nil).isEmpty)
        var external = ServiceSpec()
        external.type = "ExternalName"
        #expect(ServiceAllocationPlan(new: external, old: nil).isEmpty)
    }

    @Test("Services get a cluster IP from the range and node ports; taken or out-of-range values are 422")
    func allocatesThroughTheAPI() async throws {
        try await TestAPI.with { api async throws in
            let web = try await api.create(Self.services, Self.service("web", #"{"type":"NodePort","ports":[{"port":80}]}"#))
            let ip = web["spec"]?["clusterIP"]?.stringValue ?? ""
            #expect(ServiceRanges.default.offset(of: ip) != nil, "\(ip)")
            #expect(web["spec"]?["clusterIPs"] == .array([.string(ip)]))
            let nodePort = Self.firstNodePort(web) ?? 0
            #expect((30000...32767).contains(nodePort))

            let taken = try await api.post(Self.services, Self.service("copy", #"{"clusterIP":"\#(ip)","type":"NodePort","ports":[{"port":80,"nodePort":\#(nodePort)}]}"#))
            #expect(taken.status == 422)
            #expect(try taken.json()["message"] == .string(#"Service "copy" is invalid: spec.clusterIPs: Invalid value: []string{"\#(ip)"}: failed to allocate IP \#(ip): provided IP is already allocated"#))
            let port = try await api.post(Self.services, Self.service("copy", #"{"type":"NodePort","ports":[{"port":80,"nodePort":\#(nodePort)}]}"#))
            #expect(try port.json()["message"] == .string(#"Service "copy" is invalid: spec.ports[0].nodePort: Invalid value: \#(nodePort): provided port is already allocated"#))
            let outside = try await api.post(Self.services, Self.service("copy", #"{"clusterIP":"10.99.0.1","ports":[{"port":80}]}"#))
            #expect(try outside.json()["message"] == .string(#"Service "copy" is invalid: spec.clusterIPs: Invalid value: []string{"10.99.0.1"}: failed to allocate IP 10.99.0.1: the provided IP (10.99.0.1) is not in the valid range. The range of valid IPs is 10.43.0.0/16"#))
            let low = try await api.post(Self.services, Self.service("copy", #"{"type":"NodePort","ports":[{"port":80,"nodePort":29999}]}"#))
            #expect(try low.json()["message"] == .string(#"Service "copy" is invalid: spec.ports[0].nodePort: Invalid value: 29999: provided port is not in the valid range. The range of valid ports is 30000-32767"#))
            // The failed creates left no reservation behind: only web's two.
            #expect(try await Self.reservations(api).count == 2)

            // Deleting frees both at once for the next Service.
            #expect(try await api.delete(Self.services + "/web").status == 200)
            #expect(try await Self.reservations(api).isEmpty)
            let again = try await api.create(Self.services, Self.service("again", #"{"clusterIP":"\#(ip)","type":"NodePort","ports":[{"port":80,"nodePort":\#(nodePort)}]}"#))
            #expect(again["spec"]?["clusterIP"] == .string(ip))
        }
    }

    @Test("Updates keep node ports left out, release them on a switch to ClusterIP, and allocate on a switch to NodePort")
    func updatesFollowTheType() async throws {
        try await TestAPI.with { api async throws in
            let created = try await api.create(Self.services, Self.service("web", #"{"type":"NodePort","ports":[{"port":80}]}"#))
            let nodePort = Self.firstNodePort(created) ?? 0
            let kept = try await api.put(Self.services + "/web", Self.service("web", #"{"type":"NodePort","ports":[{"port":80}]}"#))
            #expect(kept.status == 200, "\(kept)")
            #expect(Self.firstNodePort(try kept.json()) == nodePort)
            let toClusterIP = try await api.patch(Self.services + "/web", #"{"spec":{"type":"ClusterIP"}}"#)
            #expect(toClusterIP.status == 200, "\(toClusterIP)")
            #expect(Self.firstNodePort(try toClusterIP.json()) == nil)
            #expect(try await Self.reservations(api).count == 1)
            let back = try await api.patch(Self.services + "/web", #"{"spec":{"type":"NodePort"}}"#)
            #expect(back.status == 200, "\(back)")
            #expect(Self.firstNodePort(try back.json()) != nil)
            #expect(try await Self.reservations(api).count == 2)
        }
    }

    @Test("Repair re-reserves what Services hold and frees reservations orphaned for two passes")
    func repair() async throws {
        try await TestAPI.with { api async throws in
            _ = try await api.create(Self.services, Self.service("web", #"{"clusterIP":"10.43.0.50","ports":[{"port":80}]}"#))
            let allocator = ServiceAllocator(store: api.store, ranges: .default)
            let repair = ServiceAllocationRepair(store: api.store, cache: api.cache, allocator: allocator,
                                                 interval: .seconds(60), logger: api.logger)
            // A reservation a crash left without its Service, and a Service whose reservation was lost.
            try await api.store.create(ServiceAllocator.nodePortPrefix + "30555", value: Data("no-such-uid".utf8))
            _ = try await api.store.delete(ServiceAllocator.ipPrefix + "10.43.0.50", expectedRevision: nil)
            let first = try await repair.repair(previousSuspects: [:])
            #expect(first.keys.sorted() == [ServiceAllocator.nodePortPrefix + "30555"])
            #expect(try await api.store.get(ServiceAllocator.ipPrefix + "10.43.0.50") != nil)
            #expect(try await api.store.get(ServiceAllocator.nodePortPrefix + "30555") != nil)
            _ = try await repair.repair(previousSuspects: first)
            #expect(try await api.store.get(ServiceAllocator.nodePortPrefix + "30555") == nil)
        }
    }

    static func firstNodePort(_ service: JSONValue) -> Int? {
        guard case .int(let value)? = service["spec"]?["ports"]?.arrayValue?.first?["nodePort"] else { return nil }
        return Int(value)
    }

    static func reservations(_ api: TestAPI) async throws -> [String] {
        var keys: [String] = []
        for prefix in [ServiceAllocator.ipPrefix, ServiceAllocator.nodePortPrefix] {
            keys += try await api.store.list(prefix: prefix, revision: nil, limit: nil, after: nil).items.map(\.key)
        }
        return keys
    }
}
