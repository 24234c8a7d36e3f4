import APIModel
import Controllers
import Foundation

/// Fixtures for the DaemonSet controller's pure parts.
enum DaemonFixtures {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)
    static let labels = ["app": "agent"]

    static func daemonSet(nodeSelector: [String: String]? = nil, tolerations: [Toleration]? = nil, hostNetwork: Bool? = nil,
                          affinity: Affinity? = nil, strategy: String = "RollingUpdate", maxUnavailable: IntOrString? = 1,
                          maxSurge: IntOrString? = 0, minReadySeconds: Int32? = nil, image: String = "agent:1") -> DaemonSet {
        let rolling = strategy == "RollingUpdate" ? RollingUpdateDaemonSet(maxSurge: maxSurge, maxUnavailable: maxUnavailable) : nil
        return DaemonSet(
            metadata: ObjectMeta(generation: 3, name: "agent", namespace: "default", uid: "ds-uid"),
            spec: DaemonSetSpec(minReadySeconds: minReadySeconds, revisionHistoryLimit: 10,
                                selector: LabelSelector(matchLabels: labels),
                                template: PodTemplateSpec(metadata: ObjectMeta(labels: labels), spec: PodSpec(
                                    affinity: affinity, containers: [Container(image: image, name: "a")], hostNetwork: hostNetwork,
                                    nodeSelector: nodeSelector, tolerations: tolerations)),
                                updateStrategy: DaemonSetUpdateStrategy(rollingUpdate: rolling, type: strategy)))
    }

    static func node(_ name: String, labels: [String: String] = [:], taints: [Taint]? = nil, unschedulable: Bool? = nil) -> Node {
        Node(metadata: ObjectMeta(labels: labels, name: name), spec: NodeSpec(taints: taints, unschedulable: unschedulable))
    }

    static func taint(_ key: String, _ effect: String) -> Taint { Taint(effect: effect, key: key) }

    /// A daemon pod on `node` of revision `hash`, `age` seconds old, Ready for `readyFor` seconds (nil: not Ready).
    static func pod(_ name: String, node: String, hash: String = "new", phase: String = "Running",
                    readyFor: TimeInterval? = 1000, age: TimeInterval = 1000, deleting: Bool = false,
                    scheduled: Bool = true) -> Pod {
        let conditions = [readyFor.map { PodCondition(lastTransitionTime: Time(now.addingTimeInterval(-$0)), status: "True", type: "Ready") }
            ?? PodCondition(status: "False", type: "Ready")]
        var labels = labels
        labels["controller-revision-hash"] = hash
        return Pod(metadata: ObjectMeta(creationTimestamp: Time(now.addingTimeInterval(-age)),
                                        deletionTimestamp: deleting ? Time(now) : nil, labels: labels, name: name,
                                        namespace: "default",
                                        ownerReferences: [OwnerReference(kind: "DaemonSet", apiVersion: "apps/v1", controller: true,
                                                                         name: "agent", uid: "ds-uid")],
                                        uid: "uid-\(name)"),
                   spec: PodSpec(affinity: DaemonPodTemplate.affinity(nil, pinnedTo: node), containers: [Container(image: "agent:1", name: "a")],
                                 nodeName: scheduled ? node : nil),
                   status: PodStatus(conditions: conditions, phase: phase))
    }

    static func names(_ pods: [Pod]) -> [String] { pods.compactMap { $0.metadata?.name }.sorted() }
}
