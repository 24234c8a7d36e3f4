import Testing
import APIModel
@testable import Scheduling

@Suite struct PodTopologySpreadScoreTests {
    @Test func defaultConstraintsSpreadPodsOfOneOwnerByHostname() {
        let cache = makeCache(nodes: [makeNode("n1"), makeNode("n2"), makeNode("n3")],
                              pods: [makePod("a", nodeName: "n1", owner: "rs"), makePod("b", nodeName: "n1", owner: "rs"),
                                     makePod("c", nodeName: "n2", owner: "rs"), makePod("x", nodeName: "n3", owner: "other")])
        let pod = PodToSchedule(makePod("p", owner: "rs"))
        #expect(pod.usesDefaultSpreading)
        // Raw: 2·log 5 + 2 → 5, log 5 + 2 → 4, 2; normalized 100·(5 + 2 − s)/5.
        #expect(TopologySpreadScore.scores(for: pod, candidates: [0, 1, 2], in: cache) == [40, 60, 100])
    }

    @Test func podsWithoutOwnerOrConstraintsAreNotSpread() {
        let cache = makeCache(nodes: [makeNode("n1"), makeNode("n2")])
        let pod = PodToSchedule(makePod("p"))
        #expect(pod.softSpreadConstraints.isEmpty)
        #expect(TopologySpreadScore.scores(for: pod, candidates: [0, 1], in: cache) == [0, 0])
    }

    @Test func zoneConstraintCountsAllNodesOfTheCandidatesZones() {
        let cache = makeCache(
            nodes: [makeNode("a1", labels: ["zone": "a"]), makeNode("a2", labels: ["zone": "a"]),
                    makeNode("b1", labels: ["zone": "b"]), makeNode("c1")],
            pods: [makePod("x", labels: ["app": "web"], nodeName: "a2"), makePod("y", labels: ["app": "web"], nodeName: "a2")])
        let pod = PodToSchedule(makePod("p", labels: ["app": "web"]) { spec in
            spec.topologySpreadConstraints = [TopologySpreadConstraint(
                labelSelector: LabelSelector(matchLabels: ["app": "web"]), maxSkew: 1, topologyKey: "zone",
                whenUnsatisfiable: "ScheduleAnyway")]
        })
        // Candidates a1, b1, c1 (a2 filtered out). Domains a, b → weight log 4; c1 lacks the key: ignored.
        // Raw: a1 2·1.386 = 2.77 → 3; b1 0. Normalized: 100·(3 + 0 − s)/3.
        #expect(TopologySpreadScore.scores(for: pod, candidates: [0, 2, 3], in: cache) == [0, 100, 0])
    }

    @Test func defaultZoneSpreadingUsesTheCachesCounts() {
        let zone = "topology.kubernetes.io/zone"
        let cache = makeCache(
            nodes: [makeNode("a1", labels: [zone: "a"]), makeNode("a2", labels: [zone: "a"]),
                    makeNode("b1", labels: [zone: "b"]), makeNode("b2", labels: [zone: "b"])],
            pods: [makePod("x", nodeName: "a2", owner: "rs"), makePod("y", nodeName: "a2", owner: "rs"),
                   makePod("z", nodeName: "b2", owner: "rs")])
        let pod = PodToSchedule(makePod("p", owner: "rs"))
        // Candidates a1 and b1 (both empty): hostname terms equal (0·log 4 + 2);
        // zone terms: a 2·log 4 + 4, b 1·log 4 + 4. Raw: a1 round(2 + 6.77) = 9, b1 round(2 + 5.39) = 7.
        // Normalized: 100·(9 + 7 − s)/9 → a1 77, b1 100.
        #expect(TopologySpreadScore.scores(for: pod, candidates: [0, 2], in: cache) == [77, 100])
    }

    @Test func ownZoneConstraintsScoreAlikeFromTheCacheOrByScanning() {
        let zone = "topology.kubernetes.io/zone"
        let cache = makeCache(
            nodes: [makeNode("a1", labels: [zone: "a"]), makeNode("a2", labels: [zone: "a"]),
                    makeNode("b1", labels: [zone: "b"]), makeNode("c1", labels: [zone: "c"]), makeNode("none")],
            pods: [makePod("x", labels: ["app": "web"], nodeName: "a2"), makePod("y", labels: ["app": "web"], nodeName: "a2"),
                   makePod("z", labels: ["app": "web"], nodeName: "b1"), makePod("n", labels: ["app": "web"], nodeName: "none")])
        func scores(_ selector: LabelSelector) -> [Int64] {
            let pod = PodToSchedule(makePod("p", labels: ["app": "web"]) { spec in
                spec.topologySpreadConstraints = [TopologySpreadConstraint(
                    labelSelector: selector, maxSkew: 1, topologyKey: zone, whenUnsatisfiable: "ScheduleAnyway")]
            })
            return TopologySpreadScore.scores(for: pod, candidates: [0, 2, 3, 4], in: cache)
        }
        let fromCache = scores(LabelSelector(matchLabels: ["app": "web"]))
        let scanned = scores(LabelSelector(matchExpressions: [
            LabelSelectorRequirement(key: "app", operator: "In", values: ["web", "other"])]))
        // Domains a, b, c (weight log 5): a 2 → round(3.22) = 3, b 1 → 2, c 0 → 0; "none" is ignored.
        #expect(fromCache == [0, 33, 100, 0])
        #expect(scanned == fromCache)
    }
}
