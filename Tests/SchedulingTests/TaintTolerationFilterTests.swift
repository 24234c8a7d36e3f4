import Testing
import APIModel
@testable import Scheduling

@Suite struct TaintTolerationFilterTests {
    func rejection(_ taints: [Taint], _ tolerations: [Toleration] = []) -> FilterRejection? {
        let pod = makePod("p") { $0.tolerations = tolerations.isEmpty ? nil : tolerations }
        return TaintTolerationFilter.filter(PodToSchedule(pod), on: makeNodeInfo(makeNode("n1", taints: taints)))
    }

    @Test func noScheduleAndNoExecuteTaintsReject() {
        #expect(rejection([taint("node-role.kubernetes.io/control-plane")])
            == FilterRejection(plugin: .taintToleration,
                               reason: "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"))
        #expect(rejection([taint("dedicated", "gpu", "NoExecute")])?.reasons == ["node(s) had untolerated taint {dedicated: gpu}"])
        #expect(rejection([taint("soft", "x", "PreferNoSchedule")]) == nil)
    }

    @Test func tolerations() {
        let dedicated = taint("dedicated", "gpu")
        #expect(rejection([dedicated], [Toleration(key: "dedicated", operator: "Equal", value: "gpu")]) == nil)
        #expect(rejection([dedicated], [Toleration(key: "dedicated", value: "gpu")]) == nil)
        #expect(rejection([dedicated], [Toleration(key: "dedicated", operator: "Exists")]) == nil)
        #expect(rejection([dedicated], [Toleration(operator: "Exists")]) == nil)
        #expect(rejection([dedicated], [Toleration(key: "dedicated", value: "cpu")]) != nil)
        #expect(rejection([dedicated], [Toleration(effect: "NoExecute", key: "dedicated", operator: "Exists")]) != nil)
    }

    @Test func namesTheFirstUntoleratedTaint() {
        let taints = [taint("a", "1"), taint("b", "2")]
        #expect(rejection(taints, [Toleration(key: "a", operator: "Exists")])?.reasons == ["node(s) had untolerated taint {b: 2}"])
    }
}
