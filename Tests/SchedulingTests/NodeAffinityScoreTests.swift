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
        let cache = makeCache(nodes: [
            makeNode("n1", labels: ["zone": "a"]),
            makeNode("n2", labels: ["disk": "ssd"]),
            makeNode("n3", labels: ["zone": "a", "disk": "ssd"]),
            makeNode("n4"),
        ])
        #expect(NodeAffinityScore.scores(for: pod, candidates: [0, 1, 2, 3], in: cache) == [28, 71, 100, 0])
    }

    @Test func noPreferencesScoreZero() {
        let cache = makeCache(nodes: [makeNode("n1"), makeNode("n2")])
        #expect(NodeAffinityScore.scores(for: PodToSchedule(makePod("p")), candidates: [0, 1], in: cache) == [0, 0])
    }
}
