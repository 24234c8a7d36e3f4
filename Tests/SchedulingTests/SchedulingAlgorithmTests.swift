import Testing
import APIModel
@testable import Scheduling

@Suite struct SchedulingAlgorithmTests {
    @Test func stopsAfterEnoughFeasibleNodesAndRotatesTheStart() {
        let cache = makeCache(nodes: (0..<1000).map { makeNode("n\($0)") })
        var algorithm = SchedulingAlgorithm()
        var generator = SplitMix64(seed: 7)
        guard case .success(let first) = algorithm.schedule(PodToSchedule(makePod("p")), in: cache, using: &generator) else {
            Issue.record("no node")
            return
        }
        #expect(first.feasibleNodes == 420)
        #expect(first.evaluatedNodes == 420)
        #expect(algorithm.nextStartNodeIndex == 420)
        _ = algorithm.schedule(PodToSchedule(makePod("q")), in: cache, using: &generator)
        _ = algorithm.schedule(PodToSchedule(makePod("r")), in: cache, using: &generator)
        #expect(algorithm.nextStartNodeIndex == 260)  // 1260 mod 1000
    }

    @Test func rejectedNodesCountAsEvaluated() throws {
        let nodes = (0..<200).map { makeNode("n\($0)", cpu: $0 < 50 ? "100m" : "4") }
        var algorithm = SchedulingAlgorithm()
        var generator = SplitMix64(seed: 7)
        let result = algorithm.schedule(PodToSchedule(makePod("p", cpu: "1")), in: makeCache(nodes: nodes), using: &generator)
        // 200 nodes: 49% → 98, raised to 100 feasible; the 50 small ones come first.
        #expect(try result.get().feasibleNodes == 100)
        #expect(try result.get().evaluatedNodes == 150)
        #expect(algorithm.nextStartNodeIndex == 150)
    }

    @Test func aSingleFeasibleNodeIsChosenWithoutScoring() throws {
        let cache = makeCache(nodes: [makeNode("n1", cpu: "1"), makeNode("n2", cpu: "8")])
        var algorithm = SchedulingAlgorithm()
        var generator = SplitMix64(seed: 1)
        let result = try algorithm.schedule(PodToSchedule(makePod("p", cpu: "2")), in: cache, using: &generator).get()
        #expect(result == ScheduleResult(nodeName: "n2", evaluatedNodes: 2, feasibleNodes: 1))
    }

    @Test func prefersTheEmptierNode() throws {
        let cache = makeCache(nodes: [makeNode("busy"), makeNode("idle")],
                              pods: [makePod("a", cpu: "3", memory: "6Gi", nodeName: "busy")])
        var algorithm = SchedulingAlgorithm()
        var generator = SplitMix64(seed: 1)
        #expect(try algorithm.schedule(PodToSchedule(makePod("p", cpu: "1")), in: cache, using: &generator).get().nodeName == "idle")
    }

    @Test func tiesAreBrokenByTheInjectedGenerator() throws {
        let cache = makeCache(nodes: ["a", "b", "c", "d"].map { makeNode($0) })
        func choices(seed: UInt64) throws -> [String] {
            var algorithm = SchedulingAlgorithm()
            var generator = SplitMix64(seed: seed)
            return try (0..<20).map { _ in
                try algorithm.schedule(PodToSchedule(makePod("p")), in: cache, using: &generator).get().nodeName
            }
        }
        #expect(try choices(seed: 42) == choices(seed: 42))
        #expect(try Set(choices(seed: 42)) == ["a", "b", "c", "d"])
    }

    @Test func hostSelectionReservoirSampling() {
        var generator = SplitMix64(seed: 3)
        var counts = [0, 0, 0, 0]
        for _ in 0..<3000 {
            counts[HostSelection.select([5, 9, 9, 9], using: &generator)!] += 1
        }
        #expect(counts[0] == 0)
        #expect(counts[1...].allSatisfy { $0 > 850 && $0 < 1150 })
        #expect(HostSelection.select([], using: &generator) == nil)
    }

    @Test func podsOfOneOwnerSpreadAcrossNodes() throws {
        var cache = makeCache(nodes: ["n1", "n2", "n3"].map { makeNode($0, cpu: "64", memory: "256Gi") })
        // Unrelated pods make n1 the emptiest by resources only slightly.
        cache.addPod(makePod("other", cpu: "100m", nodeName: "n2"))
        var algorithm = SchedulingAlgorithm()
        var generator = SplitMix64(seed: 11)
        for index in 0..<9 {
            let pod = makePod("web-\(index)", owner: "web")
            let result = try algorithm.schedule(PodToSchedule(pod), in: cache, using: &generator).get()
            try cache.assume(pod, onNode: result.nodeName)
        }
        let owner = SpreadingOwner(namespace: "default", owner: "uid-web")
        #expect(cache.nodes.map { $0.podCountBySpreadingOwner[owner] ?? 0 } == [3, 3, 3])
    }

    @Test func hardSpreadConstraintsAreEnforcedWhileScheduling() throws {
        var cache = makeCache(nodes: [makeNode("a1", labels: ["zone": "a"]), makeNode("b1", labels: ["zone": "b"])])
        var algorithm = SchedulingAlgorithm()
        var generator = SplitMix64(seed: 5)
        var placed: [String] = []
        for index in 0..<4 {
            let pod = makePod("p\(index)", labels: ["app": "web"]) { spec in
                spec.topologySpreadConstraints = [TopologySpreadConstraint(
                    labelSelector: LabelSelector(matchLabels: ["app": "web"]), maxSkew: 1, topologyKey: "zone",
                    whenUnsatisfiable: "DoNotSchedule")]
            }
            let node = try algorithm.schedule(PodToSchedule(pod), in: cache, using: &generator).get().nodeName
            try cache.assume(pod, onNode: node)
            placed.append(node)
        }
        #expect(placed.filter { $0 == "a1" }.count == 2)
    }

    @Test func benchmarkRuns() {
        let report = SchedulingBenchmark.run(nodeCount: 50, podCount: 200, seed: 1)
        #expect(report.scheduled == 200)
    }

    @Test func podsPinnedByNodeNameFieldsOnlyFilterTheirNodes() throws {
        let cache = makeCache(nodes: (0..<500).map { makeNode("n\($0)") })
        let pod = makePod("ds") { spec in
            spec.affinity = Affinity(nodeAffinity: NodeAffinity(requiredDuringSchedulingIgnoredDuringExecution: NodeSelector(
                nodeSelectorTerms: [NodeSelectorTerm(matchFields: [
                    NodeSelectorRequirement(key: "metadata.name", operator: "In", values: ["n321"])])])))
        }
        var algorithm = SchedulingAlgorithm()
        var generator = SplitMix64(seed: 1)
        let result = try algorithm.schedule(PodToSchedule(pod), in: cache, using: &generator).get()
        #expect(result == ScheduleResult(nodeName: "n321", evaluatedNodes: 1, feasibleNodes: 1))
    }
}
