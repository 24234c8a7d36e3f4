import Testing
import APIModel
@testable import Scheduling

@Suite struct PodTopologySpreadFilterTests {
    /// Zone a: n1 (2 matching pods), n2 (1); zone b: n3 (0), n4 (0); n5 has no zone.
    let cache: SchedulerCache = makeCache(
            nodes: [makeNode("n1", labels: ["zone": "a"]), makeNode("n2", labels: ["zone": "a"]),
                    makeNode("n3", labels: ["zone": "b"]), makeNode("n4", labels: ["zone": "b"]),
                    makeNode("n5")],
            pods: [makePod("a1", labels: ["app": "web"], nodeName: "n1"),
                   makePod("a2", labels: ["app": "web"], nodeName: "n1"),
                   makePod("a3", labels: ["app": "web"], nodeName: "n2"),
                   makePod("other", labels: ["app": "db"], nodeName: "n3"),
                   makePod("elsewhere", namespace: "other", labels: ["app": "web"], nodeName: "n4"),
                   makePod("nozone", labels: ["app": "web"], nodeName: "n5")])

    func constraint(_ key: String = "zone", maxSkew: Int32 = 1, minDomains: Int32? = nil,
                    when: String = "DoNotSchedule", selector: [String: String] = ["app": "web"],
                    matchLabelKeys: [String]? = nil, nodeAffinityPolicy: String? = nil) -> TopologySpreadConstraint {
        TopologySpreadConstraint(labelSelector: LabelSelector(matchLabels: selector), matchLabelKeys: matchLabelKeys,
                                 maxSkew: maxSkew, minDomains: minDomains, nodeAffinityPolicy: nodeAffinityPolicy,
                                 topologyKey: key, whenUnsatisfiable: when)
    }

    func spreadPod(_ constraints: [TopologySpreadConstraint], labels: [String: String] = ["app": "web"],
                   configure: (inout PodSpec) -> Void = { _ in }) -> PodToSchedule {
        PodToSchedule(makePod("p", labels: labels) { spec in
            spec.topologySpreadConstraints = constraints
            configure(&spec)
        })
    }

    func reasons(_ pod: PodToSchedule) -> [String: String] {
        let filter = TopologySpreadFilter(pod: pod, cache: cache)
        var result: [String: String] = [:]
        for node in cache.nodes { result[node.name] = filter.filter(pod, on: node)?.reasons.joined() ?? "fits" }
        return result
    }

    @Test func skewAgainstTheGlobalMinimum() {
        let result = reasons(spreadPod([constraint()]))
        #expect(result["n1"] == "node(s) didn't match pod topology spread constraints")
        #expect(result["n2"] == "node(s) didn't match pod topology spread constraints")
        #expect(result["n3"] == "fits")
        #expect(result["n4"] == "fits")
        #expect(result["n5"] == "node(s) didn't match pod topology spread constraints (missing required label)")
    }

    @Test func maxSkewAllowsMore() {
        let result = reasons(spreadPod([constraint(maxSkew: 4)]))
        #expect(result["n1"] == "fits")
    }

    @Test func aPodNotMatchingItsSelectorDoesNotCountItself() {
        // zone a: 3 - 0 = 3 > 2 still rejects; with maxSkew 3 it fits because self does not count.
        #expect(reasons(spreadPod([constraint(maxSkew: 3)], labels: ["app": "other"]))["n1"] == "fits")
        #expect(reasons(spreadPod([constraint(maxSkew: 3)]))["n1"] != "fits")
    }

    @Test func minDomainsTreatsTheMinimumAsZero() {
        // Hostname domains n1..n5: counts 2, 1, 0, 0, 1: minimum 0 anyway. With only zone a
        // eligible (node selector), zone a is the only domain: min 3, so skew 1 fits…
        let onlyA: (inout PodSpec) -> Void = { $0.nodeSelector = ["zone": "a"] }
        #expect(reasons(spreadPod([constraint()], configure: onlyA))["n1"] == "fits")
        // …unless minDomains asks for 2 domains: the minimum becomes 0, skew 4.
        #expect(reasons(spreadPod([constraint(minDomains: 2)], configure: onlyA))["n1"] != "fits")
    }

    @Test func nodeAffinityPolicyIgnoreCountsAllNodes() {
        let onlyA: (inout PodSpec) -> Void = { $0.nodeSelector = ["zone": "a"] }
        #expect(reasons(spreadPod([constraint(nodeAffinityPolicy: "Ignore")], configure: onlyA))["n1"] != "fits")
    }

    @Test func matchLabelKeysNarrowTheSelector() {
        // Only pods with the same "app" value count; with app=db the db pod on n3 counts.
        let pod = spreadPod([constraint(selector: [:], matchLabelKeys: ["app"])], labels: ["app": "db"])
        let result = reasons(pod)
        #expect(result["n3"] != "fits")  // zone b: 1 + 1 - 0 = 2
        #expect(result["n1"] == "fits")  // zone a: 0 + 1 - 0 = 1
    }

    @Test func scheduleAnywayConstraintsDoNotFilter() {
        let filter = TopologySpreadFilter(pod: spreadPod([constraint(when: "ScheduleAnyway")]), cache: cache)
        #expect(filter.isEmpty)
    }

    @Test func hostnameSpread() {
        let result = reasons(spreadPod([constraint("kubernetes.io/hostname")]))
        // Counts: n1 2, n2 1, n3 0, n4 0 (other namespace), n5 1; minimum 0.
        #expect(result["n1"] != "fits")
        #expect(result["n2"] != "fits")
        #expect(result["n3"] == "fits")
        #expect(result["n4"] == "fits")
    }

    @Test func multiLabelSelectorsCountOnlyPodsMatchingEveryLabel() {
        let cache = makeCache(
            nodes: [makeNode("a1", labels: ["zone": "a"]), makeNode("b1", labels: ["zone": "b"])],
            pods: [makePod("x", labels: ["app": "web", "tier": "fe"], nodeName: "a1"),
                   makePod("y", labels: ["app": "web", "tier": "be"], nodeName: "b1"),
                   makePod("z", labels: ["app": "web", "tier": "be"], nodeName: "b1")])
        let pod = PodToSchedule(makePod("p", labels: ["app": "web", "tier": "fe"]) { spec in
            spec.topologySpreadConstraints = [constraint(selector: ["app": "web", "tier": "fe"])]
        })
        let filter = TopologySpreadFilter(pod: pod, cache: cache)
        // Zone a: 1 matching pod, zone b: 0 (its pods are tier=be): only b fits.
        #expect(filter.filter(pod, on: cache.nodes[0]) != nil)
        #expect(filter.filter(pod, on: cache.nodes[1]) == nil)
        #expect(cache.nodes[1].podCount(withLabel: LabelIndexKey(namespace: "default", key: "app", value: "web")) == 2)
    }

    @Test func theWellKnownZoneKeyUsesTheCachesCountsWithTheSameResults() {
        let zone = "topology.kubernetes.io/zone"
        var cache = makeCache(
            nodes: [makeNode("a1", labels: [zone: "a"]), makeNode("a2", labels: [zone: "a"]),
                    makeNode("b1", labels: [zone: "b"]), makeNode("c1", labels: [zone: "c"]), makeNode("none")],
            pods: [makePod("x", labels: ["app": "web"], nodeName: "a1"), makePod("y", labels: ["app": "web"], nodeName: "b1"),
                   makePod("z", labels: ["app": "web"], nodeName: "none")])
        func fits(_ constraints: [TopologySpreadConstraint], _ cache: SchedulerCache,
                  configure: (inout PodSpec) -> Void = { _ in }) -> [String] {
            let pod = spreadPod(constraints, configure: configure)
            let filter = TopologySpreadFilter(pod: pod, cache: cache)
            return cache.nodes.filter { filter.filter(pod, on: $0) == nil }.map(\.name)
        }
        // The fast path (a lone zone constraint with a single label) and the scan (a
        // two-value selector) agree.
        let onZone = [constraint(zone)]
        var scanned = constraint(zone)
        scanned.labelSelector = LabelSelector(matchExpressions: [
            LabelSelectorRequirement(key: "app", operator: "In", values: ["web", "other"])])
        #expect(fits(onZone, cache) == ["c1"])
        #expect(fits([scanned], cache) == ["c1"])
        #expect(fits([constraint(zone, minDomains: 4)], cache) == ["c1"])  // 3 zones < 4: minimum 0
        try? cache.assume(makePod("w", labels: ["app": "web"]), onNode: "c1")
        #expect(fits(onZone, cache) == ["a1", "a2", "b1", "c1"])
        #expect(fits([scanned], cache) == ["a1", "a2", "b1", "c1"])
        cache.updateNode(makeNode("c1", labels: [zone: "b"]))  // zone c disappears, b has 2
        #expect(fits(onZone, cache) == ["a1", "a2"])
        #expect(fits([scanned], cache) == ["a1", "a2"])
    }
}
