import Testing
import APIModel
@testable import Scheduling

@Suite struct NodeAffinityFilterTests {
    let node = makeNodeInfo(makeNode("n1", labels: ["zone": "a", "disk": "ssd", "cores": "8"]))

    func required(_ terms: [NodeSelectorTerm]) -> Pod {
        makePod("p") { spec in
            spec.affinity = Affinity(nodeAffinity: NodeAffinity(
                requiredDuringSchedulingIgnoredDuringExecution: NodeSelector(nodeSelectorTerms: terms)))
        }
    }

    func expression(_ key: String, _ op: String, _ values: [String]? = nil) -> NodeSelectorTerm {
        NodeSelectorTerm(matchExpressions: [NodeSelectorRequirement(key: key, operator: op, values: values)])
    }

    func fits(_ pod: Pod) -> Bool {
        NodeAffinityFilter.filter(PodToSchedule(pod), on: node) == nil
    }

    @Test func nodeSelector() {
        #expect(fits(makePod("p") { $0.nodeSelector = ["zone": "a", "disk": "ssd"] }))
        let rejection = NodeAffinityFilter.filter(PodToSchedule(makePod("p") { $0.nodeSelector = ["zone": "b"] }), on: node)
        #expect(rejection == FilterRejection(plugin: .nodeAffinity, reason: "node(s) didn't match Pod's node affinity/selector"))
    }

    @Test(arguments: [
        ("In", ["a", "b"], true), ("In", ["b"], false), ("NotIn", ["b"], true), ("NotIn", ["a"], false),
    ])
    func inAndNotIn(op: String, values: [String], expected: Bool) {
        #expect(fits(required([expression("zone", op, values)])) == expected)
    }

    @Test func existsDoesNotExistGtLt() {
        #expect(fits(required([expression("disk", "Exists")])))
        #expect(!fits(required([expression("gpu", "Exists")])))
        #expect(fits(required([expression("gpu", "DoesNotExist")])))
        #expect(fits(required([expression("cores", "Gt", ["4"])])))
        #expect(!fits(required([expression("cores", "Lt", ["4"])])))
        #expect(!fits(required([expression("cores", "Gt", ["four"])])))  // unparsable term matches nothing
        #expect(!fits(required([expression("zone", "Gt", ["1"])])))
    }

    @Test func termsAreOredAndExpressionsAnded() {
        let both = NodeSelectorTerm(matchExpressions: [
            NodeSelectorRequirement(key: "zone", operator: "In", values: ["a"]),
            NodeSelectorRequirement(key: "disk", operator: "In", values: ["hdd"]),
        ])
        #expect(!fits(required([both])))
        #expect(fits(required([both, expression("disk", "In", ["ssd"])])))
    }

    @Test func emptyTermsMatchNothing() {
        #expect(!fits(required([])))
        #expect(!fits(required([NodeSelectorTerm()])))
    }

    @Test func matchFieldsOnTheNodeName() {
        let named = { (op: String, name: String) in
            NodeSelectorTerm(matchFields: [NodeSelectorRequirement(key: "metadata.name", operator: op, values: [name])])
        }
        #expect(fits(required([named("In", "n1")])))
        #expect(!fits(required([named("In", "n2")])))
        #expect(fits(required([named("NotIn", "n2")])))
        let badField = NodeSelectorTerm(matchFields: [NodeSelectorRequirement(key: "metadata.uid", operator: "In", values: ["n1"])])
        #expect(!fits(required([badField])))
    }

    @Test func nodeSelectorAndAffinityMustBothHold() {
        let pod = makePod("p") { spec in
            spec.nodeSelector = ["zone": "b"]
            spec.affinity = Affinity(nodeAffinity: NodeAffinity(requiredDuringSchedulingIgnoredDuringExecution:
                NodeSelector(nodeSelectorTerms: [NodeSelectorTerm(matchExpressions: [
                    NodeSelectorRequirement(key: "disk", operator: "Exists")])])))
        }
        #expect(!fits(pod))
    }
}
