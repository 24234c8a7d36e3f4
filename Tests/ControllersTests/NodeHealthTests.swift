import APIModel
import Controllers
import Foundation
import Testing

@Suite("Node health and taint eviction")
struct NodeHealthTests {
    private func node(ready: String = "True", heartbeat: Date, taints: [Taint] = []) -> Node {
        Node(metadata: ObjectMeta(creationTimestamp: Time(heartbeat.addingTimeInterval(-3600)), name: "n1"),
             spec: NodeSpec(taints: taints),
             status: NodeStatus(conditions: [NodeCondition(lastHeartbeatTime: Time(heartbeat), status: ready, type: "Ready")]))
    }

    @Test("A node silent for longer than the grace period gets its conditions Unknown; the lease counts as life")
    func staleness() {
        let now = Date()
        let silent = node(heartbeat: now.addingTimeInterval(-41))
        let conditions = NodeHealth.staleConditions(silent, lease: nil, now: now, gracePeriod: 40)
        #expect(conditions?.first?.status == "Unknown")
        #expect(conditions?.first?.reason == "NodeStatusUnknown")
        #expect(conditions?.first?.message == "Kubelet stopped posting node status.")
        let lease = Lease(spec: LeaseSpec(renewTime: MicroTime(now.addingTimeInterval(-5))))
        #expect(NodeHealth.staleConditions(silent, lease: lease, now: now, gracePeriod: 40) == nil)
        #expect(NodeHealth.staleConditions(node(heartbeat: now), lease: nil, now: now, gracePeriod: 40) == nil)
        // Already Unknown: nothing to change.
        #expect(NodeHealth.staleConditions(node(ready: "Unknown", heartbeat: now.addingTimeInterval(-100)), lease: nil,
                                           now: now, gracePeriod: 40) == nil)
    }

    @Test("Taints follow the Ready condition and keep unrelated taints")
    func taints() {
        let now = Date()
        let unknown = NodeHealth.taints(node(ready: "Unknown", heartbeat: now), now: now)
        #expect(unknown?.map { "\($0.key ?? ""):\($0.effect ?? "")" }
                == ["node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"])
        let notReady = NodeHealth.taints(node(ready: "False", heartbeat: now, taints: unknown ?? []), now: now)
        #expect(notReady?.map(\.key) == ["node.kubernetes.io/not-ready", "node.kubernetes.io/not-ready"])
        let mine = Taint(effect: "NoSchedule", key: "dedicated", value: "gpu")
        #expect(NodeHealth.taints(node(ready: "True", heartbeat: now, taints: (notReady ?? []) + [mine]), now: now) == [mine])
        #expect(NodeHealth.taints(node(ready: "True", heartbeat: now, taints: [mine]), now: now) == nil)
        var cordoned = node(ready: "True", heartbeat: now)
        cordoned.spec?.unschedulable = true
        #expect(NodeHealth.taints(cordoned, now: now)?.map(\.key) == ["node.kubernetes.io/unschedulable"])
        let cordonTaints = NodeHealth.taints(cordoned, now: now)
        cordoned.spec?.taints = cordonTaints
        #expect(NodeHealth.taints(cordoned, now: now) == nil)
        cordoned.spec?.unschedulable = false
        #expect(NodeHealth.taints(cordoned, now: now) == [])
    }

    @Test("Pods go at once without a toleration, after the shortest tolerationSeconds, or never")
    func eviction() {
        let now = Date()
        let added = now.addingTimeInterval(-100)
        let taint = Taint(effect: "NoExecute", key: "node.kubernetes.io/unreachable", timeAdded: Time(added))
        func pod(_ tolerations: [Toleration]) -> Pod { Pod(spec: PodSpec(tolerations: tolerations)) }
        let unreachable = "node.kubernetes.io/unreachable"
        #expect(TaintEviction.verdict(pod([]), taints: [taint], now: now) == .evictNow)
        #expect(TaintEviction.verdict(pod([Toleration(effect: "NoExecute", key: unreachable, operator: "Exists",
                                                      tolerationSeconds: 300)]), taints: [taint], now: now)
                == .evictAt(Date(timeIntervalSince1970: TimeInterval(Time(added).secondsSinceEpoch + 300))))
        #expect(TaintEviction.verdict(pod([Toleration(key: unreachable, operator: "Exists", tolerationSeconds: 10)]),
                                      taints: [taint], now: now) == .evictNow)
        #expect(TaintEviction.verdict(pod([Toleration(operator: "Exists")]), taints: [taint], now: now) == .stay)
        #expect(TaintEviction.verdict(pod([]), taints: [Taint(effect: "NoSchedule", key: "x")], now: now) == .stay)
    }

    @Test("Toleration matching: keys, values, operators, effects")
    func tolerationMatching() {
        let taint = Taint(effect: "NoSchedule", key: "k", value: "v")
        #expect(Toleration(effect: "NoSchedule", key: "k", operator: "Equal", value: "v").tolerates(taint))
        #expect(Toleration(key: "k", value: "v").tolerates(taint))
        #expect(!Toleration(key: "k", value: "w").tolerates(taint))
        #expect(Toleration(key: "k", operator: "Exists").tolerates(taint))
        #expect(Toleration(operator: "Exists").tolerates(taint))
        #expect(!Toleration(effect: "NoExecute", operator: "Exists").tolerates(taint))
        #expect(!Toleration(key: "other", operator: "Exists").tolerates(taint))
    }
}
