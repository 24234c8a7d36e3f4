import Testing
import APIModel
@testable import Scheduling

@Suite struct NodePortsFilterTests {
    func pod(_ name: String, _ ports: [ContainerPort], nodeName: String? = nil) -> Pod {
        makePod(name, nodeName: nodeName) { $0.containers = [makeContainer(hostPorts: ports)] }
    }

    func fits(_ wanted: [ContainerPort], used: [ContainerPort]) -> Bool {
        let node = makeNodeInfo(makeNode("n1"), pods: [pod("a", used, nodeName: "n1")])
        return NodePortsFilter.filter(PodToSchedule(pod("p", wanted)), on: node) == nil
    }

    @Test func conflicts() {
        let any80 = ContainerPort(containerPort: 80, hostPort: 80)
        let local80 = ContainerPort(containerPort: 80, hostIP: "127.0.0.1", hostPort: 80)
        let other80 = ContainerPort(containerPort: 80, hostIP: "10.0.0.1", hostPort: 80)
        let udp80 = ContainerPort(containerPort: 80, hostPort: 80, protocol: "UDP")
        #expect(!fits([any80], used: [any80]))
        #expect(!fits([local80], used: [any80]))
        #expect(!fits([any80], used: [local80]))
        #expect(fits([other80], used: [local80]))
        #expect(fits([udp80], used: [any80]))
        #expect(fits([ContainerPort(containerPort: 80)], used: [ContainerPort(containerPort: 80)]))
        #expect(fits([ContainerPort(containerPort: 81, hostPort: 81)], used: [any80]))
    }

    @Test func reason() {
        let port = ContainerPort(containerPort: 80, hostPort: 80)
        let node = makeNodeInfo(makeNode("n1"), pods: [pod("a", [port], nodeName: "n1")])
        #expect(NodePortsFilter.filter(PodToSchedule(pod("p", [port])), on: node)
            == FilterRejection(plugin: .nodePorts, reason: "node(s) didn't have free ports for the requested pod ports"))
    }
}
