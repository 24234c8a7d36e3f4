import APIModel
import Testing
@testable import PodNetwork

@Suite struct PeerRoutesTests {
    private let cluster = IPv4CIDR("10.42.0.0/16")!

    private func node(_ name: String, cidr: String?, ip: String?) -> Node {
        Node(metadata: ObjectMeta(name: name), spec: NodeSpec(podCIDR: cidr),
             status: NodeStatus(addresses: ip.map { [NodeAddress(address: $0, type: "InternalIP")] }))
    }

    @Test func routesEveryOtherNodeThroughItsAddress() {
        let nodes = [
            node("me", cidr: "10.42.0.0/24", ip: "192.168.5.1"),
            node("b", cidr: "10.42.2.0/24", ip: "192.168.5.3"),
            node("a", cidr: "10.42.1.0/24", ip: "192.168.5.2"),
            node("waiting", cidr: nil, ip: "192.168.5.4"),
            node("no-address", cidr: "10.42.3.0/24", ip: nil),
            node("sim-node-0", cidr: "10.128.0.0/24", ip: "10.128.0.1"),
            node("same-ip", cidr: "10.42.4.0/24", ip: "192.168.5.1"),
            node("loop", cidr: "10.42.5.0/24", ip: "127.0.0.1"),
            node("inside", cidr: "10.42.6.0/24", ip: "10.42.0.9"),
            node("dup1", cidr: "10.42.7.0/24", ip: "192.168.5.7"),
            node("dup2", cidr: "10.42.7.0/24", ip: "192.168.5.8"),
        ]
        let plan = PeerRoutes.plan(nodes: nodes, selfName: "me", selfIP: "192.168.5.1", clusterCIDR: cluster)
        #expect(plan == [PeerRoute(podCIDR: IPv4CIDR("10.42.1.0/24")!, via: IPv4Address("192.168.5.2")!),
                         PeerRoute(podCIDR: IPv4CIDR("10.42.2.0/24")!, via: IPv4Address("192.168.5.3")!)])
    }

    @Test func hostsAreOtherNodesAndAPIServers() {
        let nodes = [node("me", cidr: "10.42.0.0/24", ip: "192.168.5.1"), node("a", cidr: "10.42.1.0/24", ip: "192.168.5.2"),
                     node("sim", cidr: "10.128.0.0/24", ip: "10.42.9.9"), node("lo", cidr: nil, ip: "127.0.0.1")]
        let hosts = PeerRoutes.hosts(nodes: nodes, selfName: "me", selfIP: "192.168.5.1",
                                     apiServers: ["192.168.5.9", "192.168.5.2", "192.168.5.1", "bad"], clusterCIDR: cluster)
        #expect(hosts == [IPv4Address("192.168.5.2")!, IPv4Address("192.168.5.9")!])
    }

    @Test func parsesOurRoutes() {
        let text = """
            10.42.1.0/24 via 192.168.5.2 dev eth0 proto 199
            10.42.2.0/24 via 192.168.5.3 dev eth0 proto 199 onlink
            garbage
            """
        #expect(PeerRouting.parse(text) == [PeerRoute(podCIDR: IPv4CIDR("10.42.1.0/24")!, via: IPv4Address("192.168.5.2")!),
                                           PeerRoute(podCIDR: IPv4CIDR("10.42.2.0/24")!, via: IPv4Address("192.168.5.3")!)])
    }
}
