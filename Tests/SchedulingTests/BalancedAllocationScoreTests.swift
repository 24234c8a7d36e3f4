import Testing
@testable import Scheduling

@Suite struct BalancedAllocationScoreTests {
    @Test func favorsEqualFractions() {
        let pod = PodToSchedule(makePod("p", cpu: "3", memory: "5000"))
        // 0.75 and 0.5: (1 − 0.125) × 100 = 87; 0.5 and 0.5: 100.
        #expect(BalancedAllocationScore.score(pod, on: makeNodeInfo(makeNode("n1", cpu: "4", memory: "10000"))) == 87)
        #expect(BalancedAllocationScore.score(pod, on: makeNodeInfo(makeNode("n2", cpu: "6", memory: "10000"))) == 100)
    }

    @Test func usesActualRequestsWithoutDefaults() {
        let pod = PodToSchedule(makePod("p"))
        let node = makeNodeInfo(makeNode("n1", cpu: "1", memory: "1000"), pods: [makePod("a", cpu: "500m", nodeName: "n1")])
        // cpu 0.5, memory 0 → (1 − 0.25) × 100.
        #expect(BalancedAllocationScore.score(pod, on: node) == 75)
    }
}
