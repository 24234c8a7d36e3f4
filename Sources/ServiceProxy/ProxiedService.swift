import APIModel

/// One Service port as the proxy carries it out (pure): where clients send (cluster IP and port, node port) and
/// the endpoints it spreads over.
public struct ProxiedService: Equatable, Sendable {
    public struct Backend: Equatable, Sendable {
        public var ip: String
        public var port: Int32

        public init(ip: String, port: Int32) {
            self.ip = ip
            self.port = port
        }
    }

    /// `namespace/name:port-name`, for logs and rule comments.
    public var name: String
    public var clusterIP: String
    public var port: Int32
    /// `tcp`, `udp` or `sctp`.
    public var proto: String
    public var nodePort: Int32?
    /// Seconds a client sticks to its endpoint (`sessionAffinity: ClientIP`), nil for none.
    public var affinitySeconds: Int32?
    public var backends: [Backend]

    public init(name: String, clusterIP: String, port: Int32, proto: String, nodePort: Int32?, affinitySeconds: Int32?,
                backends: [Backend]) {
        self.name = name
        self.clusterIP = clusterIP
        self.port = port
        self.proto = proto
        self.nodePort = nodePort
        self.affinitySeconds = affinitySeconds
        self.backends = backends
    }

    /// Every port of every Service that has a cluster IP, with its endpoints from the Service's EndpointSlices:
    /// the ready ones, or — when none is ready — the serving ones still terminating (as kube-proxy falls back).
    /// Slice ports match Service ports by name. Sorted by name, backends by address, so equal inputs render
    /// equal rules.
    public static func from(services: [Service], slices: [EndpointSlice]) -> [ProxiedService] {
        var slicesByService: [String: [EndpointSlice]] = [:]
        for slice in slices {
            guard let service = slice.metadata?.labels?["kubernetes.io/service-name"] else { continue }
            slicesByService["\(slice.metadata?.namespace ?? "")/\(service)", default: []].append(slice)
        }
        var result: [ProxiedService] = []
        for service in services {
            guard let spec = service.spec, let clusterIP = spec.clusterIP, !clusterIP.isEmpty, clusterIP != "None",
                  spec.type != "ExternalName", let namespace = service.metadata?.namespace,
                  let serviceName = service.metadata?.name else { continue }
            let key = "\(namespace)/\(serviceName)"
            let serviceSlices = slicesByService[key] ?? []
            let affinity = spec.sessionAffinity == "ClientIP"
                ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) : nil
            for port in spec.ports ?? [] {
                guard let number = port.port else { continue }
                let portName = port.name ?? ""
                var ready: [Backend] = [], terminating: [Backend] = []
                for slice in serviceSlices {
                    guard let slicePort = (slice.ports ?? []).first(where: { ($0.name ?? "") == portName }),
                          let target = slicePort.port else { continue }
                    for endpoint in slice.endpoints ?? [] {
                        for address in endpoint.addresses ?? [] {
                            let backend = Backend(ip: address, port: target)
                            if endpoint.conditions?.ready ?? true {
                                ready.append(backend)
                            } else if endpoint.conditions?.serving == true && endpoint.conditions?.terminating == true {
                                terminating.append(backend)
                            }
                        }
                    }
                }
                let backends = (ready.isEmpty ? terminating : ready).sorted { ($0.ip, $0.port) < ($1.ip, $1.port) }
                let hasNodePort = spec.type == "NodePort" || spec.type == "LoadBalancer"
                result.append(ProxiedService(
                    name: portName.isEmpty ? key : "\(key):\(portName)", clusterIP: clusterIP, port: number,
                    proto: (port.protocol ?? "TCP").lowercased(),
                    nodePort: hasNodePort ? port.nodePort.flatMap { $0 == 0 ? nil : $0 } : nil,
                    affinitySeconds: affinity, backends: backends))
            }
        }
        return result.sorted { $0.name < $1.name }
    }
}
