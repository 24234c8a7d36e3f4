import APIModel
import Controllers
import Foundation
import Testing

@Suite("DaemonSet node eligibility and daemon pods")
struct DaemonNodeEligibilityTests {
    typealias F = DaemonFixtures

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var daemonSet: DaemonSet
        var node: Node
        var shouldRun: Bool
        var shouldContinue: Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "plain node", daemonSet: F.daemonSet(), node: F.node("n1"), shouldRun: true, shouldContinue: true),
        Case(name: "nodeSelector matches", daemonSet: F.daemonSet(nodeSelector: ["disk": "ssd"]),
             node: F.node("n1", labels: ["disk": "ssd"]), shouldRun: true, shouldContinue: true),
        Case(name: "nodeSelector does not match", daemonSet: F.daemonSet(nodeSelector: ["disk": "ssd"]),
             node: F.node("n1", labels: ["disk": "hdd"]), shouldRun: false, shouldContinue: false),
        Case(name: "required affinity does not match", daemonSet: F.daemonSet(affinity: Affinity(nodeAffinity: NodeAffinity(
            requiredDuringSchedulingIgnoredDuringExecution: NodeSelector(nodeSelectorTerms: [NodeSelectorTerm(matchExpressions: [
                NodeSelectorRequirement(key: "zone", operator: "In", values: ["a"]),
            ])])))),
             node: F.node("n1", labels: ["zone": "b"]), shouldRun: false, shouldContinue: false),
        Case(name: "untolerated NoSchedule keeps running pods", daemonSet: F.daemonSet(),
             node: F.node("n1", taints: [F.taint("dedicated", "NoSchedule")]), shouldRun: false, shouldContinue: true),
        Case(name: "untolerated NoExecute evicts", daemonSet: F.daemonSet(),
             node: F.node("n1", taints: [F.taint("dedicated", "NoExecute")]), shouldRun: false, shouldContinue: false),
        Case(name: "PreferNoSchedule is ignored", daemonSet: F.daemonSet(),
             node: F.node("n1", taints: [F.taint("dedicated", "PreferNoSchedule")]), shouldRun: true, shouldContinue: true),
        Case(name: "tolerated taint", daemonSet: F.daemonSet(tolerations: [Toleration(key: "dedicated", operator: "Exists")]),
             node: F.node("n1", taints: [F.taint("dedicated", "NoExecute")]), shouldRun: true, shouldContinue: true),
        Case(name: "not-ready and unreachable NoExecute are tolerated", daemonSet: F.daemonSet(),
             node: F.node("n1", taints: [F.taint("node.kubernetes.io/not-ready", "NoExecute"),
                                         F.taint("node.kubernetes.io/unreachable", "NoExecute")]), shouldRun: true, shouldContinue: true),
        Case(name: "pressure taints are tolerated", daemonSet: F.daemonSet(),
             node: F.node("n1", taints: [F.taint("node.kubernetes.io/disk-pressure", "NoSchedule"),
                                         F.taint("node.kubernetes.io/memory-pressure", "NoSchedule"),
                                         F.taint("node.kubernetes.io/pid-pressure", "NoSchedule")]), shouldRun: true, shouldContinue: true),
        Case(name: "cordoned node", daemonSet: F.daemonSet(),
             node: F.node("n1", taints: [F.taint("node.kubernetes.io/unschedulable", "NoSchedule")], unschedulable: true),
             shouldRun: true, shouldContinue: true),
        Case(name: "network-unavailable without hostNetwork", daemonSet: F.daemonSet(),
             node: F.node("n1", taints: [F.taint("node.kubernetes.io/network-unavailable", "NoSchedule")]),
             shouldRun: false, shouldContinue: true),
        Case(name: "network-unavailable with hostNetwork", daemonSet: F.daemonSet(hostNetwork: true),
             node: F.node("n1", taints: [F.taint("node.kubernetes.io/network-unavailable", "NoSchedule")]),
             shouldRun: true, shouldContinue: true),
    ]

    @Test("NodeShouldRunDaemonPod", arguments: cases)
    func eligibility(_ test: Case) {
        let decision = DaemonNodeEligibility(test.daemonSet).evaluate(test.node)
        #expect(decision == .init(shouldRun: test.shouldRun, shouldContinueRunning: test.shouldContinue))
    }

    @Test("A template naming another node runs nowhere else")
    func templateNodeName() {
        var daemonSet = F.daemonSet()
        daemonSet.spec?.template?.spec?.nodeName = "n2"
        let eligibility = DaemonNodeEligibility(daemonSet)
        #expect(eligibility.evaluate(F.node("n1")) == .init(shouldRun: false, shouldContinueRunning: false))
        #expect(eligibility.evaluate(F.node("n2")) == .init(shouldRun: true, shouldContinueRunning: true))
    }

    @Test("Daemon tolerations replace a matching one and keep the others")
    func tolerations() {
        var spec = PodSpec(tolerations: [
            Toleration(effect: "NoExecute", key: "node.kubernetes.io/not-ready", operator: "Exists", tolerationSeconds: 300),
            Toleration(key: "mine", operator: "Exists"),
        ])
        DaemonPodTemplate.addDaemonTolerations(to: &spec)
        let tolerations = spec.tolerations ?? []
        #expect(tolerations.count == 7)
        #expect(tolerations[0] == Toleration(effect: "NoExecute", key: "node.kubernetes.io/not-ready", operator: "Exists"))
        #expect(tolerations[1].key == "mine")
        #expect(!tolerations.contains { $0.key == "node.kubernetes.io/network-unavailable" })
        var host = PodSpec(hostNetwork: true)
        DaemonPodTemplate.addDaemonTolerations(to: &host)
        #expect(host.tolerations?.contains { $0.key == "node.kubernetes.io/network-unavailable" && $0.effect == "NoSchedule" } == true)
    }

    @Test("A daemon pod: generateName, hash label, controller reference, pinned by a matchFields affinity")
    func daemonPod() throws {
        let preferred = PreferredSchedulingTerm(preference: NodeSelectorTerm(matchExpressions: [
            NodeSelectorRequirement(key: "fast", operator: "Exists"),
        ]), weight: 5)
        let daemonSet = F.daemonSet(affinity: Affinity(nodeAffinity: NodeAffinity(
            preferredDuringSchedulingIgnoredDuringExecution: [preferred],
            requiredDuringSchedulingIgnoredDuringExecution: NodeSelector(nodeSelectorTerms: [NodeSelectorTerm(matchExpressions: [
                NodeSelectorRequirement(key: "zone", operator: "In", values: ["a"]),
            ])]))))
        let template = DaemonPodTemplate.template(of: daemonSet, hash: "abc")
        let pod = DaemonPodTemplate.pod(for: daemonSet, from: template, node: "n7")
        #expect(pod.metadata?.generateName == "agent-")
        #expect(pod.metadata?.namespace == "default")
        #expect(pod.metadata?.labels == ["app": "agent", "controller-revision-hash": "abc"])
        let reference = try #require(pod.controllerReference)
        #expect(reference.kind == "DaemonSet" && reference.uid == "ds-uid" && reference.blockOwnerDeletion == true)
        let nodeAffinity = pod.spec?.affinity?.nodeAffinity
        #expect(nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution == NodeSelector(nodeSelectorTerms: [
            NodeSelectorTerm(matchFields: [NodeSelectorRequirement(key: "metadata.name", operator: "In", values: ["n7"])]),
        ]))
        #expect(nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution == [preferred])
        #expect(pod.spec?.tolerations?.count == 6)
        #expect(DaemonPodTemplate.targetNode(of: pod) == "n7")
        var scheduled = pod
        scheduled.spec?.nodeName = "n8"
        #expect(DaemonPodTemplate.targetNode(of: scheduled) == "n8")
        #expect(DaemonPodTemplate.targetNode(of: Pod(spec: PodSpec())) == nil)
    }
}
