import Testing
@testable import Scheduling

@Suite struct LeastAllocatedScoreTests {
    @Test func differentlySizedNodes() {
        let pod = PodToSchedule(makePod("p", cpu: "3", memory: "5000"))
        let small = makeNodeInfo(makeNode("n1", cpu: "4", memory: "10000"))
        let large = makeNodeInfo(makeNode("n2", cpu: "6", memory: "10000"))
        // cpu (4000−3000)×100/4000 = 25, memory 50 → 37; cpu 50, memory 50 → 50.
        #expect(LeastAllocatedScore.score(pod, on: small) == 37)
        #expect(LeastAllocatedScore.score(pod, on: large) == 50)
    }

    @Test func countsExistingPodsWithNonZeroDefaults() {
        let pod = PodToSchedule(makePod("p"))
        let node = makeNodeInfo(makeNode("n1", cpu: "1", memory: "1000Mi"), pods: [makePod("a", nodeName: "n1")])
        // cpu: (1000 − 200) × 100 / 1000 = 80; memory: (1000 − 400) × 100 / 1000 = 60.
        #expect(LeastAllocatedScore.score(pod, on: node) == 70)
    }

    @Test func overcommittedScoresZero() {
        let pod = PodToSchedule(makePod("p", cpu: "8", memory: "1"))
        #expect(LeastAllocatedScore.score(pod, on: makeNodeInfo(makeNode("n1", cpu: "4", memory: "100"))) == 49)
    }
}
