import APIModel

/// Kubernetes' DefaultTolerationSeconds admission: every pod tolerates the `not-ready` and `unreachable`
/// NoExecute taints for 300 seconds unless it already tolerates them (a toleration with that key or no key,
/// and effect NoExecute or none, counts).
enum DefaultTolerationSeconds {
    static let seconds: Int64 = 300
    static let notReady = "node.kubernetes.io/not-ready"
    static let unreachable = "node.kubernetes.io/unreachable"

    static func add(to spec: inout PodSpec) {
        var tolerations = spec.tolerations ?? []
        for key in [notReady, unreachable] where !tolerations.contains(where: { tolerates($0, key) }) {
            tolerations.append(Toleration(effect: "NoExecute", key: key, operator: "Exists", tolerationSeconds: seconds))
        }
        spec.tolerations = tolerations
    }

    private static func tolerates(_ toleration: Toleration, _ key: String) -> Bool {
        let keyMatches = (toleration.key ?? "").isEmpty || toleration.key == key
        let effectMatches = (toleration.effect ?? "").isEmpty || toleration.effect == "NoExecute"
        return keyMatches && effectMatches
    }
}
