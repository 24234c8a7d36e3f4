import Testing
import APIModel
@testable import Scheduling

@Suite struct NodeResourcesFitFilterTests {
    func reasons(_ pod: Pod, _ node: NodeInfo) -> [String] {
        NodeResourcesFitFilter.filter(PodToSchedule(pod), on: node)?.reasons ?? []
    }

    @Test func fitsWhatIsLeft() {
        let node = makeNodeInfo(makeNode("n1", cpu: "2", memory: "4Gi"),
                                pods: [makePod("a", cpu: "1", memory: "1Gi", nodeName: "n1")])
        #expect(reasons(makePod("p", cpu: "1", memory: "3Gi"), node).isEmpty)
        #expect(reasons(makePod("p", cpu: "1001m"), node) == ["Insufficient cpu"])
        #expect(reasons(makePod("p", cpu: "2", memory: "4Gi"), node) == ["Insufficient cpu", "Insufficient memory"])
    }

    @Test func tooManyPodsComesFirst() {
        let node = makeNodeInfo(makeNode("n1", cpu: "1", pods: "1"), pods: [makePod("a", nodeName: "n1")])
        #expect(reasons(makePod("p", cpu: "2"), node) == ["Too many pods", "Insufficient cpu"])
        #expect(reasons(makePod("p"), node) == ["Too many pods"])
    }

    @Test func ephemeralStorageAndExtendedResources() {
        let node = makeNodeInfo(makeNode("n1", extra: ["ephemeral-storage": "10Gi", "example.com/gpu": "1"]))
        let pod = makePod("p") { spec in
            spec.containers = [makeContainer(extra: ["ephemeral-storage": "11Gi", "example.com/gpu": "2", "example.com/fpga": "1"])]
        }
        #expect(reasons(pod, node) == ["Insufficient ephemeral-storage", "Insufficient example.com/fpga",
                                       "Insufficient example.com/gpu"])
        let fits = makePod("p") { spec in spec.containers = [makeContainer(extra: ["example.com/gpu": "1"])] }
        #expect(reasons(fits, node).isEmpty)
    }

    @Test func podsWithoutRequestsOnlyNeedARoom() {
        let node = makeNodeInfo(makeNode("n1", cpu: "0", memory: "0"))
        #expect(reasons(makePod("p"), node).isEmpty)
    }
}
