import APIModel

/// The cluster's DNS records, computed from Services and EndpointSlices (pure), answering as CoreDNS's
/// `kubernetes` plugin does for the zone (`cluster.local`):
/// - `<svc>.<ns>.svc.<zone>`: A → the cluster IP; for a headless Service, the ready endpoints' addresses;
///   ExternalName → CNAME to the external name.
/// - `<endpoint>.<svc>.<ns>.svc.<zone>` for headless Services: A → the endpoint, named by its hostname (e.g.
///   StatefulSet pods) or its address with dashes.
/// - `_<port>._<proto>.<svc>.<ns>.svc.<zone>`: SRV per named port (headless: one per endpoint), the targets' A
///   records as additional records; an SRV query for `<svc>.<ns>.svc.<zone>` lists every named port.
/// - `<a-b-c-d>.<ns>.pod.<zone>`: A → a.b.c.d (CoreDNS's `pods insecure`).
/// - `d.c.b.a.in-addr.arpa`: PTR for cluster IPs and named endpoints.
/// - A name in the zone that does not exist is NXDOMAIN; one that exists but has no record of the asked type
///   is an empty NOERROR; both carry the zone's SOA. Names outside the zone are REFUSED (no upstream).
public struct ClusterDNSRecords: Sendable {
    public let zone: String
    public let ttl: UInt32
    private var records: [String: [DNSRecord.Data]] = [:]
    /// Every name that exists in the zone (including the parents of records: `ns.svc.zone`, …).
    private var names: Set<String> = []

    public init(zone: String = "cluster.local", ttl: UInt32 = 5, services: [Service], slices: [EndpointSlice]) {
        self.zone = zone
        self.ttl = ttl
        var endpointsByService: [String: [EndpointSlice]] = [:]
        for slice in slices {
            guard let service = slice.metadata?.labels?["kubernetes.io/service-name"] else { continue }
            endpointsByService["\(slice.metadata?.namespace ?? "")/\(service)", default: []].append(slice)
        }
        for service in services {
            guard let name = service.metadata?.name, let namespace = service.metadata?.namespace,
                  let spec = service.spec else { continue }
            let base = "\(name).\(namespace).svc.\(zone)"
            add(base, nil)
            switch spec.type ?? "ClusterIP" {
            case "ExternalName":
                if let external = spec.externalName, !external.isEmpty {
                    add(base, .cname(Self.trimmed(external)))
                }
                continue
            default:
                break
            }
            let slices = endpointsByService["\(namespace)/\(name)"] ?? []
            if spec.clusterIP == "None" {
                addHeadless(base, spec: spec, slices: slices)
            } else if let ip = spec.clusterIP.flatMap(Self.ipv4) {
                add(base, .a(ip))
                addPTR(ip, base)
                for port in spec.ports ?? [] {
                    guard let portName = port.name, !portName.isEmpty, let number = port.port else { continue }
                    let srv = DNSRecord.Data.srv(priority: 0, weight: 100, port: UInt16(truncatingIfNeeded: number), target: base)
                    add("_\(portName)._\((port.protocol ?? "TCP").lowercased()).\(base)", srv)
                    records[base, default: []].append(srv)
                }
            }
        }
    }

    private mutating func addHeadless(_ base: String, spec: ServiceSpec, slices: [EndpointSlice]) {
        for slice in slices {
            for endpoint in slice.endpoints ?? [] where endpoint.conditions?.ready != false {
                for address in endpoint.addresses ?? [] {
                    guard let ip = Self.ipv4(address) else { continue }
                    let label = endpoint.hostname.flatMap { $0.isEmpty ? nil : $0 } ?? address.replacingOccurrences(of: ".", with: "-")
                    let endpointName = "\(label).\(base)"
                    add(base, .a(ip))
                    add(endpointName, .a(ip))
                    if endpoint.hostname != nil { addPTR(ip, endpointName) }
                    for port in slice.ports ?? [] {
                        guard let portName = port.name, !portName.isEmpty, let number = port.port else { continue }
                        let srv = DNSRecord.Data.srv(priority: 0, weight: 100, port: UInt16(truncatingIfNeeded: number),
                                                     target: endpointName)
                        add("_\(portName)._\((port.protocol ?? "TCP").lowercased()).\(base)", srv)
                        records[base, default: []].append(srv)
                    }
                }
            }
        }
    }

    /// Records `data` (if any) under `name`, and the name and its parents within the zone as existing.
    private mutating func add(_ name: String, _ data: DNSRecord.Data?) {
        if let data, !(records[name]?.contains(data) ?? false) { records[name, default: []].append(data) }
        var current = Substring(name)
        while current.count > zone.count {
            names.insert(String(current))
            guard let dot = current.firstIndex(of: ".") else { break }
            current = current[current.index(after: dot)...]
        }
    }

    private mutating func addPTR(_ ip: UInt32, _ name: String) {
        let reverse = "\(ip & 0xFF).\(ip >> 8 & 0xFF).\(ip >> 16 & 0xFF).\(ip >> 24).in-addr.arpa"
        records[reverse, default: []].append(.ptr(name))
    }

    // MARK: Answering

    /// The response to `query` (its first question).
    public func answer(_ query: DNSMessage) -> DNSMessage {
        var response = DNSMessage(id: query.id, isResponse: true, opcode: query.opcode, authoritative: true,
                                  recursionDesired: query.recursionDesired, questions: query.questions,
                                  ednsUDPSize: query.ednsUDPSize.map { _ in 1232 })
        guard query.opcode == 0 else {
            response.rcode = .notImplemented
            return response
        }
        guard let question = query.questions.first, query.questions.count == 1 else {
            response.rcode = .formatError
            return response
        }
        let name = question.name
        if name.hasSuffix(".in-addr.arpa") {
            if let ptr = records[name], question.type == DNSType.ptr.rawValue || question.type == DNSType.any.rawValue {
                response.answers = ptr.map { DNSRecord(name: name, ttl: ttl, data: $0) }
            } else {
                response.rcode = records[name] == nil ? .nameError : .noError
            }
            return response
        }
        guard name == zone || name.hasSuffix("." + zone) else {
            response.authoritative = false
            response.rcode = .refused
            return response
        }
        let found = records[name] ?? podRecord(name).map { [$0] } ?? []
        let wanted = found.filter { data in
            switch (data, question.type) {
            case (.cname, _): return true  // a CNAME answers every type
            case (.a, DNSType.a.rawValue), (.a, DNSType.any.rawValue): return true
            case (.srv, DNSType.srv.rawValue), (.srv, DNSType.any.rawValue): return true
            default: return false
            }
        }
        if !wanted.isEmpty {
            response.answers = wanted.map { DNSRecord(name: name, ttl: ttl, data: $0) }
            // SRV targets come with their A records.
            for case .srv(_, _, _, let target) in wanted {
                for case .a(let ip) in records[target] ?? [] {
                    let record = DNSRecord(name: target, ttl: ttl, data: .a(ip))
                    if !response.additional.contains(record) { response.additional.append(record) }
                }
            }
            return response
        }
        response.rcode = (names.contains(name) || name == zone || !found.isEmpty) ? .noError : .nameError
        response.authority = [soa]
        return response
    }

    private var soa: DNSRecord {
        DNSRecord(name: zone, ttl: ttl, data: .soa(primary: "ns.dns.\(zone)", mailbox: "hostmaster.\(zone)",
                                                   serial: 1, refresh: 7200, retry: 1800, expire: 86400, minimum: ttl))
    }

    /// `a-b-c-d.<ns>.pod.<zone>` → a.b.c.d.
    private func podRecord(_ name: String) -> DNSRecord.Data? {
        let parts = name.split(separator: ".")
        let zoneLabels = zone.split(separator: ".").count
        guard parts.count == 3 + zoneLabels, parts[2] == "pod",
              let ip = Self.ipv4(parts[0].replacingOccurrences(of: "-", with: ".")) else { return nil }
        return .a(ip)
    }

    static func ipv4(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard let byte = UInt8(octet) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }

    static func trimmed(_ name: String) -> String {
        name.hasSuffix(".") ? String(name.dropLast()).lowercased() : name.lowercased()
    }
}
