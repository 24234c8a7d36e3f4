import Testing
@testable import ContainerRuntime

@Suite struct CapabilitySetTests {
    @Test func defaultsAreContainerdsFourteen() {
        #expect(CapabilitySet.effective(add: nil, drop: nil, privileged: false) == CapabilitySet.defaults)
        #expect(CapabilitySet.defaults.count == 14)
        #expect(!CapabilitySet.defaults.contains("CAP_NET_ADMIN"))
        #expect(!CapabilitySet.defaults.contains("CAP_SYS_ADMIN"))
    }

    @Test func addAndDropTakeKubernetesNames() {
        let caps = CapabilitySet.effective(add: ["NET_ADMIN", "sys_time"], drop: ["CHOWN", "CAP_KILL"],
                                           privileged: false)
        #expect(caps.contains("CAP_NET_ADMIN"))
        #expect(caps.contains("CAP_SYS_TIME"))
        #expect(!caps.contains("CAP_CHOWN"))
        #expect(!caps.contains("CAP_KILL"))
        #expect(caps.count == 14)
    }

    @Test func dropAllThenAdd() {
        #expect(CapabilitySet.effective(add: ["NET_BIND_SERVICE"], drop: ["ALL"], privileged: false)
            == ["CAP_NET_BIND_SERVICE"])
    }

    @Test func addAllThenDrop() {
        let caps = CapabilitySet.effective(add: ["ALL"], drop: ["CHOWN"], privileged: false)
        #expect(caps.count == CapabilitySet.all.count - 1)
        #expect(!caps.contains("CAP_CHOWN"))
    }

    @Test func dropWinsOverAddOfTheSameName() {
        #expect(!CapabilitySet.effective(add: ["NET_ADMIN"], drop: ["NET_ADMIN"], privileged: false)
            .contains("CAP_NET_ADMIN"))
    }

    @Test func privilegedGetsEverything() {
        #expect(CapabilitySet.effective(add: nil, drop: ["ALL"], privileged: true) == CapabilitySet.all)
        #expect(CapabilitySet.all.count == 41)
    }
}

/// Cases from the kubelet's policy_test.go.
@Suite struct OOMScoreAdjustTests {
    @Test func byQoSClass() {
        let gi: Int64 = 1 << 30
        #expect(OOMScoreAdjust.value(qosClass: "Guaranteed", memoryRequest: gi, memoryCapacity: 4 * gi) == -997)
        #expect(OOMScoreAdjust.value(qosClass: "BestEffort", memoryRequest: 0, memoryCapacity: 4 * gi) == 1000)
        #expect(OOMScoreAdjust.value(qosClass: "Burstable", memoryRequest: gi, memoryCapacity: 4 * gi) == 750)
        #expect(OOMScoreAdjust.value(qosClass: "Burstable", memoryRequest: 4 * gi, memoryCapacity: 4 * gi) == 3)
        #expect(OOMScoreAdjust.value(qosClass: "Burstable", memoryRequest: 1, memoryCapacity: 4 * gi) == 999)
        #expect(OOMScoreAdjust.value(qosClass: "BestEffort", memoryRequest: 0, memoryCapacity: gi, critical: true)
            == -997)
    }
}

/// Cases from the kubelet's helpers_linux_test.go.
@Suite struct CPUResourcesTests {
    @Test(arguments: [(Int64(0), UInt64(2)), (1, 2), (2, 2), (3, 3), (10, 10), (100, 102), (250, 256),
                      (1000, 1024), (1500, 1536), (256_000, 262_144), (300_000, 262_144)])
    func shares(milliCPU: Int64, expected: UInt64) {
        #expect(CPUResources.shares(milliCPU: milliCPU) == expected)
    }

    @Test(arguments: [(Int64(0), Int64?.none), (5, 1000), (9, 1000), (10, 1000), (200, 20_000),
                      (500, 50_000), (1000, 100_000), (1500, 150_000)])
    func quota(milliCPU: Int64, expected: Int64?) {
        #expect(CPUResources.quota(milliCPU: milliCPU) == expected)
    }
}
