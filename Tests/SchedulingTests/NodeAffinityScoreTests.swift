import Testing
import APIModel
@testable import Scheduling

@Suite struct NodeAffinityScoreTests {
    @Test func weightsOfMatchedTermsNormalized() {
        let pod = PodToSchedule(makePod("p") { spec in
            spec.affinity = Affinity(nodeAffinity: NodeAffinity(preferredDuringSchedulingIgnoredDuringExecution: [
                PreferredSchedulingTerm(preference: NodeSelectorTerm(matchExpressions: [
                    NodeSelectorRequirement(key: "zone", operator: "In", values: ["a"])]), weight: 2),
                PreferredSchedulingTerm(preference: NodeSelectorTerm(matchExpressions: [
                    NodeSelectorRequirement(key: "disk", operator: "In", values: ["ssd"])]), weight: 5),
                PreferredSchedulingTerm(preference: NodeSelectorTerm(), weight: 50),
            ]))
        })
        let nodes = [
            makeNodeInfo(makeNode("n1", labels: ["zone": "a"])),
            makeNodeInfo(makeNode("n2", labels: ["disk": "ssd"])),
            makeNodeInfo(makeNode("n3", labels: ["zone": "a", "disk": "ssd"])),
            makeNodeInfo(makeNode("n4")),
        ]
        #expect(NodeAffinityScore.scores(for: pod, candidates: [0, 1, 2, 3], nodes: nodes) == [28, 71, 100, 0])
    }

    @Test func noPreferencesScoreZero() {
        let nodes = [makeNodeInfo(makeNode("n1")), makeNodeInfo(makeNode("n2"))]
        #expect(NodeAffinityScore.scores(for: PodToSchedule(makePod("p")), candidates: [0, 1], nodes: nodes) == [0, 0])
    }
}
