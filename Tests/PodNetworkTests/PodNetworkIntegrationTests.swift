import APIModel
import Foundation
import Testing
@testable import PodNetwork

/// Real pod networks through the CNI plugins, each test inside a node namespace of its own (root only; without
/// root these tests record an issue and fail). The host's namespace must come out exactly as it went in.
@Suite(.serialized) struct PodNetworkIntegrationTests {
    @Test func podsGetAddressesReachEachOtherAndReleaseThem() async throws {
        let host = try await HostNetworkState.current()
        try await TestNode.with { node in
            let config = node.config()
            try await NetworkGuard(config).install()
            let manager = try PodNetworkManager(config: config)

            // Different pods may be set up concurrently.
            async let setUpA = manager.setUp(podID: "pod-a")
            async let setUpB = manager.setUp(podID: "pod-b")
            let (a, b) = try await (setUpA, setUpB)
            #expect(a.ip != b.ip)
            #expect(config.podCIDR.contains(a.ip) && config.podCIDR.contains(b.ip))
            #expect(a.gateway == config.gateway && a.network == config.podCIDR)
            #expect(a.netnsPath == config.netnsDirectory + "/pod-a" && a.interfaceName == "eth0")
            let ping = try await node.run(in: a.netnsPath, ["busybox", "ping", "-c1", "-W1", b.ip.description])
            #expect(ping.succeeded, "pod A cannot reach pod B: \(ping.text) \(ping.message)")
            let lease = config.ipamDataDirectory + "/skiff/" + a.ip.description
            #expect(FileManager.default.fileExists(atPath: lease))
            let veth = try #require(a.hostInterface)
            #expect(try await node.run(["ip", "link", "show", "dev", veth]).succeeded)

            try await manager.tearDown(podID: "pod-a")
            #expect(!FileManager.default.fileExists(atPath: lease))
            #expect(!FileManager.default.fileExists(atPath: a.netnsPath))
            #expect(try await !node.run(["ip", "link", "show", "dev", veth]).succeeded)
            try await manager.tearDown(podID: "pod-a")

            let again = try await manager.setUp(podID: "pod-a")
            #expect(again.ip != a.ip && again.ip != b.ip && config.podCIDR.contains(again.ip))

            let tables = try await node.run(["nft", "list", "tables"]).text
            #expect(tables.contains("table inet skiff_guard"))
            #expect(try await node.run(["ip", "route", "show", "default"]).text.isEmpty)
            #expect(try await !node.run(["ip", "route", "get", "192.0.2.1"]).succeeded)

            for pod in ["pod-a", "pod-b"] {
                try await manager.tearDown(podID: pod)
            }
            #expect(PodNamespaces(directory: config.netnsDirectory).names().isEmpty)
        }
        #expect(try await HostNetworkState.current() == host)
    }

    @Test func guardRoutesServicesToTheBridgeAndDropsLeaks() async throws {
        let host = try await HostNetworkState.current()
        try await TestNode.with { node in
            let config = node.config()
            let guardian = NetworkGuard(config)
            try await guardian.install()
            try await guardian.install()
            #expect(try await node.run(["ip", "route", "get", "10.43.0.10"]).text.contains("dev skiff0"))

            // An interface of the node's own with a route to pod addresses: the guard keeps them off it.
            _ = try await node.run(["ip", "link", "add", "leak0", "type", "veth", "peer", "name", "leak1"])
            _ = try await node.run(["ip", "link", "set", "leak0", "up"])
            _ = try await node.run(["ip", "route", "add", "10.42.200.0/24", "dev", "leak0"])
            let ping = try await node.run(["busybox", "ping", "-c1", "-W1", "10.42.200.5"])
            #expect(!ping.succeeded)
            let counters = try await node.run(["nft", "list", "chain", "inet", "skiff_guard", "guard_output"]).text
            #expect(counters.contains("ip daddr @cluster_nets counter packets 1 "), "\(counters)")

            // Another node's pod network, routed through it: accepted off the bridge; unrouted again, it falls
            // back to the cluster route on the bridge.
            _ = try await node.run(["ip", "link", "add", "peer0", "type", "veth", "peer", "name", "peer1"])
            _ = try await node.run(["ip", "addr", "add", "192.168.77.1/24", "dev", "peer0"])
            _ = try await node.run(["ip", "link", "set", "peer0", "up"])
            _ = try await node.run(["ip", "link", "set", "peer1", "up"])
            let routing = PeerRouting(config)
            let peer = PeerRoute(podCIDR: IPv4CIDR("10.42.9.0/24")!, via: IPv4Address("192.168.77.2")!)
            try await routing.apply([peer], hosts: [IPv4Address("192.168.77.9")!])
            try await routing.apply([peer], hosts: [IPv4Address("192.168.77.9")!])
            #expect(try await node.run(["nft", "list", "set", "inet", "skiff_guard", "cluster_hosts"]).text
                .contains("192.168.77.9"))
            #expect(try await routing.current() == [peer])
            #expect(try await node.run(["ip", "route", "get", "10.42.9.5"]).text.contains("via 192.168.77.2 dev peer0"))
            #expect(try await node.run(["nft", "list", "set", "inet", "skiff_guard", "peer_pod_nets"]).text
                .contains("10.42.9.0/24"))
            try await routing.apply([])
            #expect(try await routing.current().isEmpty)
            #expect(try await node.run(["ip", "route", "get", "10.42.9.5"]).text.contains("dev skiff0"))
            #expect(try await !node.run(["nft", "list", "set", "inet", "skiff_guard", "peer_pod_nets"]).text
                .contains("10.42.9.0/24"))

            try await guardian.remove()
            try await guardian.remove()
            #expect(try await !node.run(["nft", "list", "tables"]).text.contains("skiff_guard"))
            #expect(try await node.run(["ip", "route", "show", "10.43.0.0/16"]).text.isEmpty)
            #expect(try await node.run(["ip", "route", "show", "10.42.0.0/16"]).text.isEmpty)
        }
        #expect(try await HostNetworkState.current() == host)
    }

    @Test func routingGuardKeepsPodsOnTheNodeWithoutNftables() async throws {
        let host = try await HostNetworkState.current()
        try await TestNode.with { node in
            let config = node.config()
            let guardian = RoutingGuard(config)
            try await guardian.install()
            try await guardian.install()
            #expect(try await node.run(["ip", "route", "get", "10.43.0.10"]).text.contains("dev skiff0"))
            #expect(try await node.run(["ip", "route", "get", "10.42.99.5"]).text.contains("dev skiff0"))
            let manager = try PodNetworkManager(config: config)
            let pod = try await manager.setUp(podID: "pod-r")
            #expect(try await !guardian.forwardingFromBridge(), "the CNI plugin must not turn forwarding back on")

            // The node's own addresses answer the pod (a cluster IP the userspace proxy would bind on lo)...
            _ = try await node.run(["ip", "link", "set", "lo", "up"])
            _ = try await node.run(["ip", "addr", "replace", "10.43.0.77/32", "dev", "lo"])
            #expect(try await node.run(in: pod.netnsPath, ["busybox", "ping", "-c1", "-W2", "10.43.0.77"]).succeeded)
            // ...but nothing of the pod's is forwarded to another interface of the node.
            _ = try await node.run(["ip", "link", "add", "leak0", "type", "veth", "peer", "name", "leak1"])
            _ = try await node.run(["ip", "addr", "add", "192.168.88.1/24", "dev", "leak0"])
            _ = try await node.run(["ip", "link", "set", "leak0", "up"])
            _ = try await node.run(["ip", "link", "set", "leak1", "up"])
            let before = try await node.run(["cat", "/sys/class/net/leak0/statistics/tx_packets"]).text
            #expect(try await !node.run(in: pod.netnsPath, ["timeout", "-s", "KILL", "4", "busybox", "ping", "-c2", "-w2", "192.168.88.2"]).succeeded)
            let after = try await node.run(["cat", "/sys/class/net/leak0/statistics/tx_packets"]).text
            #expect(before == after, "no packet of the pod left through another interface")
            try await manager.tearDown(podID: "pod-r")
        }
        #expect(try await HostNetworkState.current() == host)
    }

    @Test func failedSetUpLeavesNothingBehind() async throws {
        try await TestNode.with { node in
            var config = node.config()
            config.pluginDirectory = node.directory + "/no-plugins"
            let manager = try PodNetworkManager(config: config)
            await #expect(throws: PodNetworkError.self) { try await manager.setUp(podID: "pod-x") }
            #expect(!manager.namespaces.exists("pod-x"))
        }
    }

    @Test func namespacesAreCreatedOnceAndRemovedIdempotently() async throws {
        try await TestNode.with { node in
            let namespaces = PodNamespaces(directory: node.directory + "/netns")
            let path = try await namespaces.create("pod-n")
            let links = try await node.run(in: path, ["ip", "-o", "link", "show"]).text
            #expect(links.split(separator: "\n").count == 1 && links.contains("lo:"))
            await #expect(throws: PodNetworkError.self) { try await namespaces.create("pod-n") }
            #expect(namespaces.names() == ["pod-n"])
            try namespaces.remove("pod-n")
            try namespaces.remove("pod-n")
            #expect(!namespaces.exists("pod-n"))
        }
    }
}
