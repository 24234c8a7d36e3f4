import Testing
import APIModel
@testable import Scheduling

@Suite struct FitErrorTests {
    func fitError(_ pod: Pod, _ nodes: [Node]) -> FitError? {
        var algorithm = SchedulingAlgorithm()
        var generator = SplitMix64(seed: 1)
        guard case .failure(let error) = algorithm.schedule(PodToSchedule(pod), in: makeCache(nodes: nodes),
                                                            using: &generator) else { return nil }
        return error
    }

    @Test func sameReasonOnEveryNode() {
        let error = fitError(makePod("p", cpu: "2"), ["n1", "n2", "n3"].map { makeNode($0, cpu: "1") })
        #expect(error?.message == "0/3 nodes are available: 3 Insufficient cpu.")
        #expect(error?.unschedulablePlugins == [.nodeResourcesFit])
    }

    @Test func reasonsCountedPerNodeAndSorted() {
        let nodes = [
            makeNode("cp", taints: [taint("node-role.kubernetes.io/control-plane")]),
            makeNode("small1", memory: "1Gi", labels: ["disk": "ssd"]),
            makeNode("small2", memory: "1Gi", labels: ["disk": "ssd"]),
            makeNode("hdd1", labels: ["disk": "hdd"]),
            makeNode("hdd2", labels: ["disk": "hdd"]),
        ]
        let pod = makePod("p", memory: "2Gi") { $0.nodeSelector = ["disk": "ssd"] }
        let error = fitError(pod, nodes)
        #expect(error?.message == "0/5 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient memory, 2 node(s) didn't match Pod's node affinity/selector.")
        #expect(error?.unschedulablePlugins == [.taintToleration, .nodeResourcesFit, .nodeAffinity])
    }

    @Test func severalReasonsFromOneNodeAreEachCounted() {
        let error = fitError(makePod("p", cpu: "2", memory: "2Gi"),
                             [makeNode("n1", cpu: "1", memory: "1Gi"), makeNode("n2", cpu: "1")])
        #expect(error?.message == "0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.")
    }

    @Test func noNodes() {
        #expect(fitError(makePod("p"), [])?.message == "no nodes available to schedule pods")
    }

    func pinned(_ fields: [[String]], cpu: String? = nil) -> Pod {
        makePod("ds", cpu: cpu) { spec in
            spec.affinity = Affinity(nodeAffinity: NodeAffinity(requiredDuringSchedulingIgnoredDuringExecution: NodeSelector(
                nodeSelectorTerms: [NodeSelectorTerm(matchFields: fields.map {
                    NodeSelectorRequirement(key: "metadata.name", operator: "In", values: $0)
                })])))
        }
    }

    @Test func nodesLeftOutByNodeAffinityPreFilter() {
        let error = fitError(pinned([["n2"]], cpu: "2"), ["n1", "n2", "n3"].map { makeNode($0, cpu: "1") })
        #expect(error?.message
            == "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].")
        #expect(error?.unschedulablePlugins == [.nodeResourcesFit, .nodeAffinity])
    }

    @Test func conflictingNodeNamesRejectEveryNode() {
        let error = fitError(pinned([["n1"], ["n2"]]), ["n1", "n2", "n3"].map { makeNode($0) })
        #expect(error?.message == "0/3 nodes are available: pod affinity terms conflict.")
        #expect(error?.unschedulablePlugins == [.nodeAffinity])
    }
}
