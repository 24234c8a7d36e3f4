import Testing
import APIModel

@Suite struct IPv4Tests {
    @Test func addressesParseAndPrint() {
        #expect(IPv4Address("10.42.0.1")?.value == 0x0a2a_0001)
        #expect(IPv4Address("10.42.0.1")?.description == "10.42.0.1")
        #expect(IPv4Address(0xffff_ffff).description == "255.255.255.255")
        for bad in ["", "10.42.0", "10.42.0.1.2", "10.42.0.256", "10.42..1", "a.b.c.d", "+1.2.3.4", "0010.1.1.1", "010.1.1.1"] {
            #expect(IPv4Address(bad) == nil, "\(bad)")
        }
    }

    @Test func cidrsClearHostBitsAndContainAddresses() throws {
        let cidr = try #require(IPv4CIDR("10.42.3.7/24"))
        #expect(cidr.description == "10.42.3.0/24")
        #expect(cidr.contains(IPv4Address("10.42.3.255")!))
        #expect(!cidr.contains(IPv4Address("10.42.4.0")!))
        #expect(cidr.address(at: 1).description == "10.42.3.1")
        #expect(IPv4CIDR("10.42.0.0/16")!.contains(cidr))
        #expect(!cidr.contains(IPv4CIDR("10.42.0.0/16")!))
        #expect(IPv4CIDR("0.0.0.0/0")!.contains(IPv4Address("192.0.2.1")!))
        for bad in ["10.42.0.0", "10.42.0.0/33", "10.42.0.0/-1", "10.42.0.0/+8", "10.42.0.0/", "/24", "10.42.0.0/24/1"] {
            #expect(IPv4CIDR(bad) == nil, "\(bad)")
        }
    }
}
