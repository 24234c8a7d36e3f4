import Testing
import APIModel
@testable import Scheduling

@Suite struct NodeUnschedulableFilterTests {
    let cordoned = makeNodeInfo(makeNode("n1", unschedulable: true))

    @Test func rejectsCordonedNodes() {
        #expect(NodeUnschedulableFilter.filter(PodToSchedule(makePod("p")), on: cordoned)
            == FilterRejection(plugin: .nodeUnschedulable, reason: "node(s) were unschedulable"))
        #expect(NodeUnschedulableFilter.filter(PodToSchedule(makePod("p")), on: makeNodeInfo(makeNode("n2"))) == nil)
    }

    @Test func theUnschedulableTolerationLetsThePodIn() {
        let tolerant = makePod("p") { spec in
            spec.tolerations = [Toleration(effect: "NoSchedule", key: "node.kubernetes.io/unschedulable", operator: "Exists")]
        }
        #expect(NodeUnschedulableFilter.filter(PodToSchedule(tolerant), on: cordoned) == nil)
        let tolerateAll = makePod("p") { spec in spec.tolerations = [Toleration(operator: "Exists")] }
        #expect(NodeUnschedulableFilter.filter(PodToSchedule(tolerateAll), on: cordoned) == nil)
        let wrongEffect = makePod("p") { spec in
            spec.tolerations = [Toleration(effect: "NoExecute", key: "node.kubernetes.io/unschedulable", operator: "Exists")]
        }
        #expect(NodeUnschedulableFilter.filter(PodToSchedule(wrongEffect), on: cordoned) != nil)
    }
}
