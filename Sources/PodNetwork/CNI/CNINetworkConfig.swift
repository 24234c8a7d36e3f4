import Foundation

/// The CNI network configurations (spec 1.0.0) handed to the plugins on standard input, rendered from a
/// `PodNetworkConfig`. Pure: the same config always gives the same bytes (sorted keys).
enum CNINetworkConfig {
    static let cniVersion = "1.0.0"

    /// The `loopback` plugin's config: brings `lo` up in the pod's namespace.
    static func loopback() -> Data {
        encode(Loopback(cniVersion: cniVersion, name: "lo", type: "loopback"))
    }

    /// The `bridge` plugin with host-local IPAM: `isGateway` (the bridge holds the gateway address and the pod's
    /// default route points at it), `ipMasq` always false, `hairpinMode` so a pod can reach itself through a
    /// service address.
    static func bridge(_ config: PodNetworkConfig) -> Data {
        let range = IPAM.Range(subnet: config.podCIDR.description, gateway: config.gateway.description)
        return encode(Bridge(
            cniVersion: cniVersion, name: config.networkName, type: "bridge", bridge: config.bridgeName,
            isGateway: true, ipMasq: false, hairpinMode: true,
            ipam: IPAM(type: "host-local", ranges: [[range]], routes: [["dst": "0.0.0.0/0"]],
                       dataDir: config.ipamDataDirectory)))
    }

    private struct Loopback: Encodable {
        var cniVersion, name, type: String
    }

    private struct Bridge: Encodable {
        var cniVersion, name, type, bridge: String
        var isGateway, ipMasq, hairpinMode: Bool
        var ipam: IPAM
    }

    private struct IPAM: Encodable {
        struct Range: Encodable {
            var subnet, gateway: String
        }

        var type: String
        var ranges: [[Range]]
        var routes: [[String: String]]
        var dataDir: String
    }

    private static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // The types above hold only strings, booleans, arrays and dictionaries of them: encoding cannot fail.
        return (try? encoder.encode(value)) ?? Data()
    }
}
