import APIModel
import Testing
@testable import NodeAgentService

@Suite struct NodeObjectTests {
    let facts = HostFacts(cpus: 2, memoryBytes: 4 * 1024 * 1024 * 1024, ephemeralStorageBytes: 100 * 1024 * 1024 * 1024,
                          kernelVersion: "6.18.44", osImage: "Debian GNU/Linux 12 (bookworm)", architecture: "amd64",
                          hostname: "box")

    @Test func capacityAllocatableAddressesAndInfo() throws {
        let node = NodeObject.build(name: "box", nodeIP: "192.0.2.7", podCIDR: "10.42.0.0/24", facts: facts,
                                    runtimeVersion: "runc://1.1.5", now: Time(secondsSinceEpoch: 100))
        let status = try #require(node.status)
        #expect(status.capacity?["cpu"] == Quantity(2))
        #expect(status.capacity?["memory"]?.description == "4Gi")
        #expect(status.capacity?["ephemeral-storage"]?.description == "100Gi")
        #expect(status.capacity?["pods"] == Quantity(110))
        #expect(status.allocatable == status.capacity)
        #expect(status.addresses?.map { "\($0.type ?? "")=\($0.address ?? "")" } == ["InternalIP=192.0.2.7", "Hostname=box"])
        #expect(status.nodeInfo?.kernelVersion == "6.18.44")
        #expect(status.nodeInfo?.osImage == "Debian GNU/Linux 12 (bookworm)")
        #expect(status.nodeInfo?.architecture == "amd64")
        #expect(status.nodeInfo?.containerRuntimeVersion == "runc://1.1.5")
        #expect(status.nodeInfo?.kubeletVersion == NodeObject.kubeletVersion)
        #expect(status.daemonEndpoints?.kubeletEndpoint?.Port == 10250)
        #expect(status.conditions?.first { $0.type == "Ready" }?.status == "True")
        #expect(node.spec?.podCIDR == "10.42.0.0/24")
        #expect(node.metadata?.labels?["kubernetes.io/arch"] == "amd64")
    }

    @Test func hostFactsParsing() {
        #expect(HostFacts.memTotal("MemTotal:        8148232 kB\nMemFree: 1 kB\n") == Int64(8_343_789_568))
        #expect(HostFacts.prettyName("NAME=\"Debian\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n")
                == "Debian GNU/Linux 12 (bookworm)")
        #expect(HostFacts.goArchitecture("x86_64") == "amd64")
        #expect(HostFacts.goArchitecture("aarch64") == "arm64")
    }

    @Test func nodeAddressPicksFirstGlobal() {
        #expect(NodeAddressDetection.pick(["169.254.1.2", "192.0.2.5", "10.0.0.1"]) == "192.0.2.5")
        #expect(NodeAddressDetection.pick([]) == "127.0.0.1")
    }
}
