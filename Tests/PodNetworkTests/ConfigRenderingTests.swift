import APIModel
import Foundation
import Testing
@testable import PodNetwork

@Suite struct ConfigRenderingTests {
    let config = PodNetworkConfig(podCIDR: IPv4CIDR("10.42.5.0/24")!, ipamDataDirectory: "/var/lib/skiff/cni/networks",
                                  netnsDirectory: "/run/skiff/netns")

    @Test func defaultsFollowTheDesign() throws {
        #expect(config.gateway.description == "10.42.5.1")
        #expect(config.bridgeName == "skiff0")
        #expect(config.clusterCIDR.description == "10.42.0.0/16")
        #expect(config.serviceCIDR.description == "10.43.0.0/16")
        #expect(config.pluginDirectory == "/usr/lib/cni")
        #expect(config.node == .current)
        try config.validate()
        let production = PodNetworkConfig(podCIDR: config.podCIDR, dataDirectory: "/var/lib/skiff",
                                          runDirectory: "/run/skiff")
        #expect(production == config)
    }

    @Test func validationRejectsInconsistentNetworks() {
        var outside = config
        outside.podCIDR = IPv4CIDR("10.99.0.0/24")!
        outside.gateway = IPv4Address("10.99.0.1")!
        #expect(throws: PodNetworkError.self) { try outside.validate() }
        var gateway = config
        gateway.gateway = IPv4Address("10.42.6.1")!
        #expect(throws: PodNetworkError.self) { try gateway.validate() }
        var bridge = config
        bridge.bridgeName = "a-bridge-name-too-long"
        #expect(throws: PodNetworkError.self) { try bridge.validate() }
    }

    @Test func bridgeNetworkNeverMasquerades() throws {
        let data = CNINetworkConfig.bridge(config)
        #expect(String(decoding: data, as: UTF8.self) == """
            {"bridge":"skiff0","cniVersion":"1.0.0","hairpinMode":true,"ipMasq":false,"ipam":{"dataDir":\
            "/var/lib/skiff/cni/networks","ranges":[[{"gateway":"10.42.5.1","subnet":"10.42.5.0/24"}]],\
            "routes":[{"dst":"0.0.0.0/0"}],"type":"host-local"},"isGateway":true,"name":"skiff","type":"bridge"}
            """)
        #expect(String(decoding: CNINetworkConfig.loopback(), as: UTF8.self)
            == #"{"cniVersion":"1.0.0","name":"lo","type":"loopback"}"#)
    }

    @Test func namespaceNamesStayInTheirDirectory() throws {
        let namespaces = PodNamespaces(directory: "/run/skiff/netns")
        #expect(try namespaces.path(of: "0b6f3c1e-9d7a-4b8e-a1f2-3c4d5e6f7a8b")
            == "/run/skiff/netns/0b6f3c1e-9d7a-4b8e-a1f2-3c4d5e6f7a8b")
        for bad in ["", ".", "..", "../x", "a/b", ".hidden", "a b", String(repeating: "x", count: 201)] {
            #expect(throws: PodNetworkError.self, "\(bad)") { try namespaces.path(of: bad) }
        }
    }
}
