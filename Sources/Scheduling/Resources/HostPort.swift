import APIModel

/// A host port a pod binds: address, protocol and port (Kubernetes' `HostPortInfo` entry).
/// An empty address means every address (`0.0.0.0`), an empty protocol means TCP.
public struct HostPort: Hashable, Sendable {
    /// The address that every-address bindings use.
    public static let anyAddress = "0.0.0.0"

    public var ip: String
    public var `protocol`: String
    public var port: Int32

    /// A host port with Kubernetes' defaults applied (empty ip → `0.0.0.0`, empty
    /// protocol → `TCP`).
    public init(ip: String?, protocol: String?, port: Int32) {
        let ip = ip ?? ""
        let proto = `protocol` ?? ""
        self.ip = ip.isEmpty ? Self.anyAddress : ip
        self.protocol = proto.isEmpty ? "TCP" : proto
        self.port = port
    }

    /// The host ports a pod's app containers ask for (ports with `hostPort` > 0), as
    /// Kubernetes' NodePorts plugin reads them.
    public static func requested(by spec: PodSpec?) -> [HostPort] {
        var ports: [HostPort] = []
        for container in spec?.containers ?? [] {
            for port in container.ports ?? [] {
                guard let hostPort = port.hostPort, hostPort > 0 else { continue }
                ports.append(HostPort(ip: port.hostIP, protocol: port.protocol, port: hostPort))
            }
        }
        return ports
    }
}

/// The host ports in use on a node, counted so that removing one pod's ports leaves the
/// others' (Kubernetes' `HostPortInfo`).
public struct HostPortUsage: Hashable, Sendable {
    private var counts: [HostPort: Int] = [:]
    /// How many bindings use each (protocol, port) on any address; lets a check against
    /// `0.0.0.0` avoid a scan.
    private var anyAddressCounts: [PortKey: Int] = [:]

    private struct PortKey: Hashable, Sendable {
        var `protocol`: String
        var port: Int32
    }

    public init() {}

    /// Whether no port is in use.
    public var isEmpty: Bool { counts.isEmpty }

    /// Records the ports as used.
    public mutating func add(_ ports: [HostPort]) {
        for port in ports {
            counts[port, default: 0] += 1
            anyAddressCounts[PortKey(protocol: port.protocol, port: port.port), default: 0] += 1
        }
    }

    /// Releases ports recorded by ``add(_:)``.
    public mutating func remove(_ ports: [HostPort]) {
        for port in ports {
            Self.decrement(&counts, port)
            Self.decrement(&anyAddressCounts, PortKey(protocol: port.protocol, port: port.port))
        }
    }

    /// Whether `port` conflicts with a port in use: a `0.0.0.0` binding conflicts with the
    /// same protocol and port on any address; a specific address conflicts with the same
    /// address or with `0.0.0.0` (Kubernetes' `HostPortInfo.CheckConflict`).
    public func conflicts(with port: HostPort) -> Bool {
        if port.ip == HostPort.anyAddress {
            return anyAddressCounts[PortKey(protocol: port.protocol, port: port.port)] != nil
        }
        if counts[port] != nil { return true }
        return counts[HostPort(ip: HostPort.anyAddress, protocol: port.protocol, port: port.port)] != nil
    }

    private static func decrement<Key: Hashable>(_ counts: inout [Key: Int], _ key: Key) {
        guard let count = counts[key] else { return }
        counts[key] = count > 1 ? count - 1 : nil
    }
}
