import Testing
@testable import Scheduling

@Suite struct NodeNameFilterTests {
    @Test func passesWithoutOrWithTheRequestedName() {
        let node = makeNodeInfo(makeNode("n1"))
        #expect(NodeNameFilter.filter(PodToSchedule(makePod("p")), on: node) == nil)
        #expect(NodeNameFilter.filter(PodToSchedule(makePod("p", nodeName: "n1")), on: node) == nil)
    }

    @Test func rejectsOtherNodes() {
        let rejection = NodeNameFilter.filter(PodToSchedule(makePod("p", nodeName: "n2")), on: makeNodeInfo(makeNode("n1")))
        #expect(rejection == FilterRejection(plugin: .nodeName, reason: "node(s) didn't match the requested node name"))
    }
}
