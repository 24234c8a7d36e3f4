import APIModel

/// The cells of a service that need more than a field read, as Kubernetes' service printer writes them.
enum ServiceCells {
    /// `External-IP`: for `ClusterIP` and `NodePort` the external IPs, or `<none>`; for `LoadBalancer` the
    /// load balancer ingress addresses (IP, else hostname; sorted, without duplicates) followed by the
    /// external IPs, or `<pending>` when there are neither; for `ExternalName` the external name; for any
    /// other type `<unknown>`. The server shows the wide form, so nothing is clipped.
    static func externalIP(of service: Service) -> String {
        let spec = service.spec
        let externalIPs = spec?.externalIPs ?? []
        switch spec?.type {
        case "ClusterIP", "NodePort":
            return externalIPs.isEmpty ? "<none>" : externalIPs.joined(separator: ",")
        case "LoadBalancer":
            let ingress = loadBalancerAddresses(service.status?.loadBalancer)
            if ingress.isEmpty, externalIPs.isEmpty { return "<pending>" }
            return (ingress + externalIPs).joined(separator: ",")
        case "ExternalName":
            return spec?.externalName ?? ""
        default:
            return "<unknown>"
        }
    }

    /// `Port(s)`: each port as `port/protocol`, or `port:nodePort/protocol` when a node port is allocated,
    /// joined by commas (`80/TCP,443:30443/TCP`); `<none>` without ports.
    static func ports(of service: Service) -> String {
        let ports = service.spec?.ports ?? []
        guard !ports.isEmpty else { return "<none>" }
        return ports.map { port in
            let number = port.port ?? 0
            let proto = port.protocol ?? ""
            if let nodePort = port.nodePort, nodePort > 0 { return "\(number):\(nodePort)/\(proto)" }
            return "\(number)/\(proto)"
        }.joined(separator: ",")
    }

    /// The distinct ingress IPs (or hostnames, for ingress points without an IP), sorted bytewise.
    private static func loadBalancerAddresses(_ status: LoadBalancerStatus?) -> [String] {
        var addresses = Set<String>()
        for ingress in status?.ingress ?? [] {
            if let ip = ingress.ip, !ip.isEmpty {
                addresses.insert(ip)
            } else if let hostname = ingress.hostname, !hostname.isEmpty {
                addresses.insert(hostname)
            }
        }
        return addresses.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
