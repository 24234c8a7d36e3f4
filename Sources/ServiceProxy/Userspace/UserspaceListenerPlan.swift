/// Where the userspace proxy listens: one socket per address, port and protocol.
struct ListenerAddress: Hashable, Sendable, CustomStringConvertible {
    enum Transport: String, Sendable {
        case tcp, udp
    }

    var host: String
    var port: Int
    var transport: Transport

    var description: String { "\(transport.rawValue) \(host):\(port)" }
}

/// The listeners a set of Services needs (pure): each TCP or UDP Service port on `clusterIP:port` and, when it
/// has one, on `nodePortAddress:nodePort`, carrying the port's backends and affinity. SCTP ports are left out
/// (the userspace proxy does not carry SCTP). An address claimed by two Service ports goes to the first in
/// input order; the later ones are listed in `conflicts`.
struct UserspaceListenerPlan: Sendable {
    struct Listener: Equatable, Sendable {
        var serviceName: String
        var backends: [ProxiedService.Backend]
        var affinitySeconds: Int32?
    }

    struct Conflict: Equatable, Sendable {
        var address: ListenerAddress
        var serviceName: String
        var heldBy: String
    }

    private(set) var listeners: [ListenerAddress: Listener] = [:]
    private(set) var conflicts: [Conflict] = []

    init(services: [ProxiedService], nodePortAddress: String) {
        for service in services {
            guard let transport = ListenerAddress.Transport(rawValue: service.proto) else { continue }
            let listener = Listener(serviceName: service.name, backends: service.backends,
                                    affinitySeconds: service.affinitySeconds)
            claim(ListenerAddress(host: service.clusterIP, port: Int(service.port), transport: transport), for: listener)
            if let nodePort = service.nodePort {
                claim(ListenerAddress(host: nodePortAddress, port: Int(nodePort), transport: transport), for: listener)
            }
        }
    }

    private mutating func claim(_ address: ListenerAddress, for listener: Listener) {
        if let holder = listeners[address] {
            conflicts.append(Conflict(address: address, serviceName: listener.serviceName, heldBy: holder.serviceName))
        } else {
            listeners[address] = listener
        }
    }
}
