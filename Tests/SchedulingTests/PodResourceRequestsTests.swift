import Testing
import APIModel
@testable import Scheduling

@Suite struct PodResourceRequestsTests {
    @Test func sumsContainersAndConvertsUnits() {
        let pod = makePod("p") { spec in
            spec.containers = [makeContainer(cpu: "250m", memory: "1Gi"), makeContainer(cpu: "0.5", memory: "512Mi")]
        }
        let requests = PodResourceRequests(pod.spec)
        #expect(requests.requests.milliCPU == 750)
        #expect(requests.requests.memory == 1536 * 1024 * 1024)
        #expect(requests.nonZeroMilliCPU == 750)
    }

    @Test func initContainersRaiseTheRequestToTheirPeak() {
        let pod = makePod("p") { spec in
            spec.containers = [makeContainer(cpu: "100m", memory: "100Mi"), makeContainer(cpu: "100m", memory: "100Mi")]
            spec.initContainers = [makeContainer(cpu: "1", memory: "50Mi"), makeContainer(cpu: "300m", memory: "150Mi")]
        }
        let requests = PodResourceRequests(pod.spec).requests
        #expect(requests.milliCPU == 1000)  // max(200, 1000, 300)
        #expect(requests.memory == 200 * 1024 * 1024)  // max(200Mi, 50Mi, 150Mi)
    }

    @Test func sidecarsAddToContainersAndToLaterInitContainers() {
        let pod = makePod("p") { spec in
            spec.containers = [makeContainer(cpu: "100m")]
            spec.initContainers = [
                makeContainer(cpu: "200m", restartPolicy: "Always"),
                makeContainer(cpu: "500m"),
            ]
        }
        // Sum: 100m + 200m (sidecar) = 300m; init peak: 200m + 500m = 700m.
        #expect(PodResourceRequests(pod.spec).requests.milliCPU == 700)
    }

    @Test func overheadIsAdded() {
        let pod = makePod("p", cpu: "100m", memory: "10Mi") { spec in
            spec.overhead = ["cpu": "50m", "memory": "1Mi"]
        }
        let requests = PodResourceRequests(pod.spec)
        #expect(requests.requests.milliCPU == 150)
        #expect(requests.requests.memory == 11 * 1024 * 1024)
        #expect(requests.nonZeroMilliCPU == 150)
    }

    @Test func nonZeroDefaultsApplyPerContainerWithoutARequest() {
        let pod = makePod("p") { spec in
            spec.containers = [makeContainer(), makeContainer(cpu: "0", memory: "1Gi")]
        }
        let requests = PodResourceRequests(pod.spec)
        #expect(requests.requests.milliCPU == 0)
        #expect(requests.nonZeroMilliCPU == 100)  // the explicit 0 stays 0
        #expect(requests.nonZeroMemory == 200 * 1024 * 1024 + 1024 * 1024 * 1024)
    }

    @Test func extendedResourcesAreScalarAndUnprefixedUnknownNamesIgnored() {
        let pod = makePod("p") { spec in
            spec.containers = [makeContainer(extra: ["example.com/gpu": "2", "hugepages-2Mi": "4Mi", "storage": "1Gi",
                                                     "ephemeral-storage": "1Gi"])]
        }
        let requests = PodResourceRequests(pod.spec).requests
        #expect(requests.scalar == ["example.com/gpu": 2, "hugepages-2Mi": 4 * 1024 * 1024])
        #expect(requests.ephemeralStorage == 1024 * 1024 * 1024)
    }

    @Test func allocatableFallsBackToCapacity() {
        let status = NodeStatus(capacity: ["cpu": "2", "memory": "1Gi", "pods": "10"])
        let allocatable = NodeAllocatable(status)
        #expect(allocatable.resources.milliCPU == 2000)
        #expect(allocatable.allowedPodCount == 10)
    }
}
