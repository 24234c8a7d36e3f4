import APIModel

/// How a DaemonSet's pods are made from its template (Kubernetes' `daemon/util`: `CreatePodTemplate`,
/// `AddOrUpdateDaemonPodTolerations`, `ReplaceDaemonSetPodNodeNameNodeAffinity`, `GetTargetNodeName`).
public enum DaemonPodTemplate {
    /// The label naming the ControllerRevision (by hash) a daemon pod was made from.
    public static let revisionHashLabel = "controller-revision-hash"
    /// The deprecated template-generation label, set when the DaemonSet carries the generation annotation.
    public static let templateGenerationLabel = "pod-template-generation"
    /// The annotation in which older API servers record the template generation.
    public static let templateGenerationAnnotation = "deprecated.daemonset.template.generation"

    /// The tolerations every daemon pod gets, so that it runs on (and stays on) nodes that are not ready, unreachable,
    /// under disk, memory or PID pressure, or cordoned; `hostNetwork` pods also tolerate an unavailable network.
    /// NoExecute ones have no `tolerationSeconds`: daemon pods are never evicted for those taints.
    public static func tolerations(hostNetwork: Bool) -> [Toleration] {
        var added = [
            Toleration(effect: "NoExecute", key: "node.kubernetes.io/not-ready", operator: "Exists"),
            Toleration(effect: "NoExecute", key: "node.kubernetes.io/unreachable", operator: "Exists"),
            Toleration(effect: "NoSchedule", key: "node.kubernetes.io/disk-pressure", operator: "Exists"),
            Toleration(effect: "NoSchedule", key: "node.kubernetes.io/memory-pressure", operator: "Exists"),
            Toleration(effect: "NoSchedule", key: "node.kubernetes.io/pid-pressure", operator: "Exists"),
            Toleration(effect: "NoSchedule", key: "node.kubernetes.io/unschedulable", operator: "Exists"),
        ]
        if hostNetwork {
            added.append(Toleration(effect: "NoSchedule", key: "node.kubernetes.io/network-unavailable", operator: "Exists"))
        }
        return added
    }

    /// Adds the daemon tolerations to `spec` (`AddOrUpdateTolerationInPodSpec`): one with the same key, operator,
    /// value and effect is replaced, others are kept, new ones are appended.
    public static func addDaemonTolerations(to spec: inout PodSpec) {
        var tolerations = spec.tolerations ?? []
        for toleration in Self.tolerations(hostNetwork: spec.hostNetwork == true) {
            if let index = tolerations.firstIndex(where: {
                $0.key == toleration.key && $0.operator == toleration.operator && $0.value == toleration.value
                    && $0.effect == toleration.effect
            }) {
                tolerations[index] = toleration
            } else {
                tolerations.append(toleration)
            }
        }
        spec.tolerations = tolerations
    }

    /// The template its pods are made from (`CreatePodTemplate`): the DaemonSet's, with the daemon tolerations and
    /// the `controller-revision-hash` label (and `pod-template-generation` when the DaemonSet records one).
    public static func template(of daemonSet: DaemonSet, hash: String) -> PodTemplateSpec {
        var template = daemonSet.spec?.template ?? PodTemplateSpec()
        var spec = template.spec ?? PodSpec()
        addDaemonTolerations(to: &spec)
        template.spec = spec
        var meta = template.metadata ?? ObjectMeta()
        var labels = meta.labels ?? [:]
        if let generation = templateGeneration(of: daemonSet) { labels[templateGenerationLabel] = String(generation) }
        if !hash.isEmpty { labels[revisionHashLabel] = hash }
        meta.labels = labels
        template.metadata = meta
        return template
    }

    /// The pod for `node` from `template` (as `template(of:hash:)` makes it): required node affinity replaced by
    /// `metadata.name In [node]`, so the default scheduler places it on that node only.
    public static func pod(for daemonSet: DaemonSet, from template: PodTemplateSpec, node: String) -> Pod {
        var template = template
        var spec = template.spec ?? PodSpec()
        spec.affinity = affinity(spec.affinity, pinnedTo: node)
        template.spec = spec
        return Pod.fromTemplate(template, owner: daemonSet)
    }

    /// `affinity` with its required node affinity replaced by the single term `matchFields metadata.name In [node]`
    /// (other parts, such as preferred terms, are kept).
    public static func affinity(_ affinity: Affinity?, pinnedTo node: String) -> Affinity {
        let required = NodeSelector(nodeSelectorTerms: [NodeSelectorTerm(matchFields: [
            NodeSelectorRequirement(key: "metadata.name", operator: "In", values: [node]),
        ])])
        var affinity = affinity ?? Affinity()
        var nodeAffinity = affinity.nodeAffinity ?? NodeAffinity()
        nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = required
        affinity.nodeAffinity = nodeAffinity
        return affinity
    }

    /// The node a daemon pod is for (`GetTargetNodeName`): its `spec.nodeName` once scheduled, else the one node its
    /// required affinity names; nil when neither says.
    public static func targetNode(of pod: Pod) -> String? {
        if let name = pod.spec?.nodeName, !name.isEmpty { return name }
        let terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []
        guard terms.count == 1 else { return nil }
        for field in terms[0].matchFields ?? [] where field.key == "metadata.name" && field.operator == "In" {
            if let values = field.values, values.count == 1 { return values[0] }
        }
        return nil
    }

    /// The DaemonSet's template generation, from the deprecated annotation (nil when absent or not a number).
    public static func templateGeneration(of daemonSet: DaemonSet) -> Int64? {
        daemonSet.metadata?.annotations?[templateGenerationAnnotation].flatMap { Int64($0) }
    }

    /// Whether the pod was made from the current template (`IsPodUpdated`): its hash label is `hash`, or its
    /// generation label is the DaemonSet's template generation.
    public static func isUpdated(_ pod: Pod, hash: String, generation: Int64?) -> Bool {
        let labels = pod.metadata?.labels ?? [:]
        if !hash.isEmpty && labels[revisionHashLabel] == hash { return true }
        if let generation, labels[templateGenerationLabel] == String(generation) { return true }
        return false
    }
}
