import APIModel
import Testing
@testable import ServiceProxy

@Suite struct ServiceProxyRulesTests {
    static func service(_ name: String, clusterIP: String, type: String? = nil, ports: [ServicePort],
                        affinity: Bool = false) -> Service {
        var spec = ServiceSpec()
        spec.clusterIP = clusterIP
        spec.type = type
        spec.ports = ports
        if affinity {
            spec.sessionAffinity = "ClientIP"
            spec.sessionAffinityConfig = SessionAffinityConfig(clientIP: ClientIPConfig(timeoutSeconds: 60))
        }
        return Service(metadata: ObjectMeta(name: name, namespace: "ns"), spec: spec)
    }

    static func slice(_ service: String, port: (name: String, number: Int32),
                      endpoints: [(ip: String, ready: Bool?, serving: Bool?, terminating: Bool?)]) -> EndpointSlice {
        EndpointSlice(metadata: ObjectMeta(labels: ["kubernetes.io/service-name": service], name: service + "-a", namespace: "ns"),
                      addressType: "IPv4",
                      endpoints: endpoints.map {
                          Endpoint(addresses: [$0.ip], conditions: EndpointConditions(ready: $0.ready, serving: $0.serving,
                                                                                     terminating: $0.terminating))
                      },
                      ports: [DiscoveryEndpointPort(name: port.name, port: port.number, protocol: "TCP")])
    }

    @Test func servicesTakeReadyEndpointsByPortName() {
        let services = [
            Self.service("web", clusterIP: "10.43.0.20", type: "NodePort",
                         ports: [ServicePort(name: "http", nodePort: 30080, port: 80, protocol: "TCP")]),
            Self.service("headless", clusterIP: "None", ports: [ServicePort(name: "http", port: 80)]),
            Self.service("empty", clusterIP: "10.43.0.21", ports: [ServicePort(port: 53, protocol: "UDP")]),
        ]
        let slices = [Self.slice("web", port: ("http", 8080), endpoints: [("10.42.0.9", true, true, false),
                                                                          ("10.42.0.3", nil, nil, nil),
                                                                          ("10.42.0.4", false, false, false)])]
        let proxied = ProxiedService.from(services: services, slices: slices)
        #expect(proxied.map(\.name) == ["ns/empty", "ns/web:http"])
        #expect(proxied[0].backends.isEmpty && proxied[0].proto == "udp" && proxied[0].nodePort == nil)
        #expect(proxied[1].backends == [.init(ip: "10.42.0.3", port: 8080), .init(ip: "10.42.0.9", port: 8080)])
        #expect(proxied[1].nodePort == 30080)
    }

    @Test func terminatingServingEndpointsOnlyWhenNoneIsReady() {
        let services = [Self.service("web", clusterIP: "10.43.0.20", ports: [ServicePort(name: "http", port: 80)])]
        let slices = [Self.slice("web", port: ("http", 8080), endpoints: [("10.42.0.5", false, true, true),
                                                                          ("10.42.0.6", false, false, true)])]
        #expect(ProxiedService.from(services: services, slices: slices)[0].backends == [.init(ip: "10.42.0.5", port: 8080)])
    }

    @Test func rulesSpreadDNATAndRejectWithoutEndpoints() {
        let services = [
            Self.service("web", clusterIP: "10.43.0.20", type: "NodePort",
                         ports: [ServicePort(name: "http", nodePort: 30080, port: 80)], affinity: true),
            Self.service("empty", clusterIP: "10.43.0.21", ports: [ServicePort(port: 53, protocol: "UDP")]),
        ]
        let slices = [Self.slice("web", port: ("http", 8080), endpoints: [("10.42.0.9", true, true, false),
                                                                          ("10.42.0.3", true, true, false)])]
        let proxied = ProxiedService.from(services: services, slices: slices)
        let script = ServiceProxyRules(services: proxied).script()
        let web = ServiceChains(proxied[1])
        #expect(script.hasPrefix("table ip skiff_proxy\ndelete table ip skiff_proxy\ntable ip skiff_proxy {"))
        #expect(script.contains("elements = { 10.43.0.21 . udp . 53 : goto reject_chain }"))
        #expect(script.contains("10.43.0.20 . tcp . 80 : goto \(web.serviceChain)"))
        #expect(script.contains("tcp . 30080 : goto \(web.nodePortChain)"))
        #expect(!script.contains(ServiceChains(proxied[0]).serviceChain))
        let (a, b) = (proxied[1].backends[0], proxied[1].backends[1])
        #expect(script.contains("numgen random mod 2 vmap { 0 : goto \(web.endpointChain(a)), 1 : goto \(web.endpointChain(b)) }"))
        #expect(script.contains("ip saddr @\(web.affinitySet(a)) goto \(web.endpointChain(a))"))
        #expect(script.contains("timeout 60s"))
        #expect(script.contains("\t\tip saddr 10.42.0.3 jump mark_for_masquerade\n\t\tmeta l4proto tcp dnat to 10.42.0.3:8080\n"))
    }
}

@Suite struct ServiceProxyUpdateTests {
    static func service(_ name: String, ip: String, backends: [String], nodePort: Int32? = nil, affinity: Int32? = nil) -> ProxiedService {
        ProxiedService(name: name, clusterIP: ip, port: 80, proto: "tcp", nodePort: nodePort, affinitySeconds: affinity,
                       backends: backends.map { .init(ip: $0, port: 8080) })
    }

    @Test func onlyTheChangedServiceIsRewritten() {
        let a = Self.service("ns/a", ip: "10.43.0.10", backends: ["10.42.0.2"])
        let b = Self.service("ns/b", ip: "10.43.0.11", backends: ["10.42.0.3"])
        let old = ServiceProxyRules(services: [a, b])
        var b2 = b
        b2.backends.append(.init(ip: "10.42.0.4", port: 8080))
        let update = ServiceProxyUpdate(from: old, to: ServiceProxyRules(services: [a, b2]))
        #expect(update.changed == ["ns/b"])
        let script = update.script()
        let chains = ServiceChains(b2)
        #expect(!script.contains(ServiceChains(a).serviceChain))
        #expect(script.contains("delete element ip skiff_proxy service_ips { 10.43.0.11 . tcp . 80 }"))
        #expect(script.contains("flush chain ip skiff_proxy \(chains.serviceChain)"))
        #expect(script.contains("add chain ip skiff_proxy \(chains.endpointChain(.init(ip: "10.42.0.4", port: 8080)))"))
        #expect(script.contains("add element ip skiff_proxy service_ips { 10.43.0.11 . tcp . 80 : goto \(chains.serviceChain) }"))
        #expect(!script.contains("delete chain"))
        #expect(ServiceProxyUpdate(from: old, to: old).script().isEmpty)
    }

    @Test func aServiceLosingItsEndpointsMovesToTheRejectMapAndDropsItsChains() {
        let a = Self.service("ns/a", ip: "10.43.0.10", backends: ["10.42.0.2"], nodePort: 30010, affinity: 30)
        var empty = a
        empty.backends = []
        let script = ServiceProxyUpdate(from: ServiceProxyRules(services: [a]), to: ServiceProxyRules(services: [empty])).script()
        let chains = ServiceChains(a)
        #expect(script.contains("add element ip skiff_proxy no_endpoint_services { 10.43.0.10 . tcp . 80 : goto reject_chain }"))
        #expect(script.contains("add element ip skiff_proxy no_endpoint_nodeports { tcp . 30010 : goto reject_chain }"))
        #expect(script.contains("delete chain ip skiff_proxy \(chains.serviceChain)"))
        #expect(script.contains("delete set ip skiff_proxy \(chains.affinitySet(a.backends[0]))"))
        let lines = script.split(separator: "\n")
        let svcDelete = lines.firstIndex { $0 == "delete chain ip skiff_proxy \(chains.serviceChain)" }!
        let sepDelete = lines.firstIndex { $0 == "delete chain ip skiff_proxy \(chains.endpointChain(a.backends[0]))" }!
        #expect(svcDelete < sepDelete)
    }
}
