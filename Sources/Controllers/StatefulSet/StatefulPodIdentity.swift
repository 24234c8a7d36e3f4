import APIModel

/// A StatefulSet pod's stable identity (Kubernetes' `getPodName`, `getParentNameAndOrdinal`, `newStatefulSetPod`,
/// `updateIdentity`): pod `<set>-<ordinal>`, `hostname` the pod's name, `subdomain` the set's `serviceName`, labels
/// `statefulset.kubernetes.io/pod-name`, `apps.kubernetes.io/pod-index` and `controller-revision-hash`.
public enum StatefulPodIdentity {
    public static let podNameLabel = "statefulset.kubernetes.io/pod-name"
    public static let podIndexLabel = "apps.kubernetes.io/pod-index"
    public static let revisionHashLabel = DaemonPodTemplate.revisionHashLabel

    /// `<set>-<ordinal>`.
    public static func name(of set: StatefulSet, ordinal: Int) -> String {
        "\(set.metadata?.name ?? "")-\(ordinal)"
    }

    /// The pod's ordinal when its name is `<set>-<non-negative integer>`, else nil (not one of the set's pods).
    public static func ordinal(of pod: Pod, in set: StatefulSet) -> Int? {
        guard let name = pod.metadata?.name, let setName = set.metadata?.name, name.hasPrefix(setName + "-") else { return nil }
        let suffix = name.dropFirst(setName.count + 1)
        guard !suffix.isEmpty, suffix.allSatisfy(\.isASCII), suffix.allSatisfy(\.isNumber), let ordinal = Int(suffix) else { return nil }
        return ordinal
    }

    /// The revision hash the pod carries ("" when none).
    public static func revision(of pod: Pod) -> String {
        pod.metadata?.labels?[revisionHashLabel] ?? ""
    }

    /// The pod of ordinal `ordinal` from `template` at revision `hash`, controlled by `set`.
    public static func pod(for set: StatefulSet, ordinal: Int, template: PodTemplateSpec?, hash: String) -> Pod {
        var pod = Pod.fromTemplate(template, owner: set)
        let name = name(of: set, ordinal: ordinal)
        pod.metadata?.generateName = nil
        pod.metadata?.name = name
        var labels = pod.metadata?.labels ?? [:]
        labels[podNameLabel] = name
        labels[podIndexLabel] = String(ordinal)
        if !hash.isEmpty { labels[revisionHashLabel] = hash }
        pod.metadata?.labels = labels
        var spec = pod.spec ?? PodSpec(containers: [])
        spec.hostname = name
        spec.subdomain = set.spec?.serviceName
        pod.spec = spec
        return pod
    }
}
