import Foundation
import Testing
@testable import PodNetwork

@Suite struct CNIResultTests {
    /// A bridge ADD result as containernetworking-plugins 1.1.1 prints it (runtime-probe §3).
    static let bridgeResult = """
        {"cniVersion":"1.0.0","interfaces":[{"name":"skiff0","mac":"e2:00:00:00:00:01"},
         {"name":"veth8779db71","mac":"12:00:00:00:00:02"},
         {"name":"eth0","mac":"1a:00:00:00:00:03","sandbox":"/run/skiff/netns/pod1"}],
         "ips":[{"interface":2,"address":"10.42.0.2/24","gateway":"10.42.0.1"}],"routes":[{"dst":"0.0.0.0/0"}],"dns":{}}
        """

    @Test func podAddressIsTheSandboxInterfaces() throws {
        let result = try CNIResult.decode(Data(Self.bridgeResult.utf8))
        let (network, ip, gateway) = try result.address(of: "eth0")
        #expect(ip.description == "10.42.0.2")
        #expect(network.description == "10.42.0.0/24")
        #expect(gateway?.description == "10.42.0.1")
        #expect(result.hostInterface(bridge: "skiff0") == "veth8779db71")
        #expect(throws: PodNetworkError.self) { try result.address(of: "eth1") }
    }

    @Test func addressesWithoutInterfaceIndexCount() throws {
        let result = try CNIResult.decode(Data(#"{"cniVersion":"1.0.0","ips":[{"address":"10.42.0.9/24"}]}"#.utf8))
        #expect(try result.address(of: "eth0").1.description == "10.42.0.9")
    }

    @Test func malformedResultsAreErrors() {
        #expect(throws: PodNetworkError.self) { try CNIResult.decode(Data("not json".utf8)) }
        #expect(throws: PodNetworkError.self) {
            try CNIResult.decode(Data(#"{"ips":[{"interface":0,"address":"fe80::1/64"}]}"#.utf8)).address(of: "eth0")
        }
    }
}
