import APIModel
import Foundation

/// The part of a CNI 1.0.0 ADD result that Skiff uses: the interfaces the plugin made and the addresses it
/// assigned (`ips[].interface` is an index into `interfaces`).
struct CNIResult: Decodable, Sendable {
    struct Interface: Decodable, Sendable {
        var name: String
        var mac: String?
        /// The namespace path, for interfaces inside the pod; absent for host-side ones.
        var sandbox: String?
    }

    struct IPConfig: Decodable, Sendable {
        var interface: Int?
        var address: String
        var gateway: String?
    }

    var cniVersion: String?
    var interfaces: [Interface]?
    var ips: [IPConfig]?

    static func decode(_ data: Data) throws(PodNetworkError) -> CNIResult {
        do {
            return try JSONDecoder().decode(CNIResult.self, from: data)
        } catch {
            throw .invalid("cannot read the CNI result \(String(decoding: data, as: UTF8.self)): \(error)")
        }
    }

    /// The first IPv4 address assigned to the sandbox interface named `interfaceName` (or to no interface in
    /// particular: `interface` is optional), with its network and gateway.
    func address(of interfaceName: String) throws(PodNetworkError) -> (IPv4CIDR, IPv4Address, IPv4Address?) {
        for ip in ips ?? [] where isAssigned(ip, to: interfaceName) {
            let parts = ip.address.split(separator: "/")
            guard parts.count == 2, let address = IPv4Address(parts[0]),
                  let network = IPv4CIDR(ip.address) else { continue }
            return (network, address, ip.gateway.flatMap { IPv4Address($0) })
        }
        throw .invalid("the CNI result has no IPv4 address for \(interfaceName)")
    }

    /// The host end of the pod's veth: the interface without a sandbox that is not the bridge.
    func hostInterface(bridge: String) -> String? {
        interfaces?.first { $0.sandbox == nil && $0.name != bridge }?.name
    }

    private func isAssigned(_ ip: IPConfig, to interfaceName: String) -> Bool {
        guard let index = ip.interface else { return true }
        guard let interfaces, interfaces.indices.contains(index) else { return false }
        return interfaces[index].name == interfaceName && interfaces[index].sandbox != nil
    }
}

/// A CNI error result: what a failing plugin prints on standard output.
struct CNIErrorResult: Decodable {
    var code: Int
    var msg: String
    var details: String?
}
