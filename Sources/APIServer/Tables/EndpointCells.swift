import APIModel

/// The `Endpoints` and `Ports` cells of Endpoints and EndpointSlices: the first three entries and a count of
/// the rest (`10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...`).
enum EndpointCells {
    /// Every ready address of an Endpoints object with each port of its subset (`ip:port`, IPv6 addresses
    /// in brackets), or the bare IPs of a subset without ports; `<none>` without subsets.
    static func endpoints(_ subsets: [EndpointSubset]?) -> String {
        guard let subsets, !subsets.isEmpty else { return "<none>" }
        var list = AbbreviatedList()
        for subset in subsets {
            let addresses = subset.addresses ?? []
            guard let ports = subset.ports, !ports.isEmpty else {
                for address in addresses { list.append(address.ip ?? "") }
                continue
            }
            for port in ports {
                for address in addresses { list.append(hostPort(address.ip ?? "", port.port ?? 0)) }
            }
        }
        return list.text
    }

    /// An EndpointSlice's ports: each port number, else its name, else `*`; `<unset>` without ports.
    static func slicePorts(_ ports: [DiscoveryEndpointPort]?) -> String {
        var list = AbbreviatedList()
        for port in ports ?? [] {
            if let number = port.port {
                list.append(String(number))
            } else {
                list.append(port.name ?? "*")
            }
        }
        return list.isEmpty ? "<unset>" : list.text
    }

    /// An EndpointSlice's endpoint addresses; `<unset>` without any.
    static func sliceEndpoints(_ endpoints: [Endpoint]?) -> String {
        var list = AbbreviatedList()
        for endpoint in endpoints ?? [] {
            for address in endpoint.addresses ?? [] { list.append(address) }
        }
        return list.isEmpty ? "<unset>" : list.text
    }

    /// `host:port`, with the host in brackets when it contains a colon (an IPv6 address), as Go's
    /// `net.JoinHostPort` writes it.
    static func hostPort(_ host: String, _ port: Int32) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
