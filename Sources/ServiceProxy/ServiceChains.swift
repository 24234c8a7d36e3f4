/// One Service port's part of the proxy's table (pure), with names that stay the same as long as the Service
/// port and the endpoint do (an FNV-1a hash of `namespace/name:port` and of `ip:port`), so that a change can
/// rewrite one Service's chains without touching the rest (`ServiceProxyUpdate`).
struct ServiceChains: Equatable {
    let service: ProxiedService
    let id: String

    init(_ service: ProxiedService) {
        self.service = service
        self.id = Self.hash(service.name)
    }

    var serviceChain: String { "svc_\(id)" }
    var nodePortChain: String { "nodeport_\(id)" }
    var hasBackends: Bool { !service.backends.isEmpty }

    func endpointChain(_ backend: ProxiedService.Backend) -> String { "sep_\(id)_\(Self.hash("\(backend.ip):\(backend.port)"))" }
    func affinitySet(_ backend: ProxiedService.Backend) -> String { "aff_\(id)_\(Self.hash("\(backend.ip):\(backend.port)"))" }

    /// The key of `service_ips` / `no_endpoint_services`.
    var ipKey: String { "\(service.clusterIP) . \(service.proto) . \(service.port)" }
    /// The key of `service_nodeports` / `no_endpoint_nodeports`.
    var nodePortKey: String? { service.nodePort.map { "\(service.proto) . \($0)" } }

    /// The map elements that lead here: `(map, "key : verdict")`.
    var elements: [(map: String, element: String)] {
        var result: [(String, String)] = []
        if hasBackends {
            result.append(("service_ips", "\(ipKey) : goto \(serviceChain)"))
            if let key = nodePortKey { result.append(("service_nodeports", "\(key) : goto \(nodePortChain)")) }
        } else {
            result.append(("no_endpoint_services", "\(ipKey) : goto reject_chain"))
            if let key = nodePortKey { result.append(("no_endpoint_nodeports", "\(key) : goto reject_chain")) }
        }
        return result
    }

    /// Every chain this part owns, with its rules (empty when there are no endpoints).
    var chains: [(name: String, rules: [String])] {
        guard hasBackends else { return [] }
        let comment = " comment \"\(service.name.filter { $0 != "\"" && $0 != "\\" })\""
        var serviceRules: [String] = []
        if service.affinitySeconds != nil {
            serviceRules += service.backends.map { "ip saddr @\(affinitySet($0)) goto \(endpointChain($0))" }
        }
        let spread = service.backends.enumerated().map { "\($0.offset) : goto \(endpointChain($0.element))" }
        serviceRules.append("numgen random mod \(service.backends.count) vmap { \(spread.joined(separator: ", ")) }\(comment)")
        var result: [(String, [String])] = [(serviceChain, serviceRules)]
        if service.nodePort != nil {
            result.append((nodePortChain, ["jump mark_for_masquerade", "goto \(serviceChain)"]))
        }
        for backend in service.backends {
            var rules: [String] = []
            if service.affinitySeconds != nil { rules.append("update @\(affinitySet(backend)) { ip saddr }") }
            rules.append("ip saddr \(backend.ip) jump mark_for_masquerade")
            rules.append("meta l4proto \(service.proto) dnat to \(backend.ip):\(backend.port)")
            result.append((endpointChain(backend), rules))
        }
        return result
    }

    /// The affinity sets this part owns, with their declarations.
    var sets: [(name: String, body: String)] {
        guard hasBackends, let seconds = service.affinitySeconds else { return [] }
        return service.backends.map { (affinitySet($0), "type ipv4_addr; flags dynamic,timeout; timeout \(seconds)s;") }
    }

    /// 64-bit FNV-1a in hex: short, stable chain-name material.
    static func hash(_ text: String) -> String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
