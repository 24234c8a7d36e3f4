import APIModel
import Foundation

/// Values of a container's `valueFrom` variables that the agent resolves itself: `fieldRef` (the pod's name,
/// namespace, uid, labels and annotations, node name, service account, pod and host IP), and
/// `configMapKeyRef`/`secretKeyRef` from the objects passed in. Unresolvable references are left out
/// (the variable is then empty, as Kubernetes does for optional references). Pure.
enum EnvironmentValues {
    static func resolve(_ container: Container, pod: Pod, podIP: String, hostIP: String,
                        configMaps: [String: ConfigMap], secrets: [String: Secret]) -> [String: String] {
        var values: [String: String] = [:]
        for variable in container.env ?? [] {
            guard let name = variable.name, let source = variable.valueFrom else { continue }
            if let path = source.fieldRef?.fieldPath,
               let value = field(path, pod: pod, podIP: podIP, hostIP: hostIP) {
                values[name] = value
            } else if let ref = source.configMapKeyRef, let key = ref.key,
                      let value = configMaps[ref.name ?? ""]?.data?[key] {
                values[name] = value
            } else if let ref = source.secretKeyRef, let key = ref.key,
                      let value = secrets[ref.name ?? ""]?.data?[key] {
                values[name] = String(decoding: value, as: UTF8.self)
            }
        }
        return values
    }

    static func field(_ path: String, pod: Pod, podIP: String, hostIP: String) -> String? {
        let metadata = pod.metadata
        switch path {
        case "metadata.name": return metadata?.name
        case "metadata.namespace": return metadata?.namespace
        case "metadata.uid": return metadata?.uid
        case "spec.nodeName": return pod.spec?.nodeName
        case "spec.serviceAccountName": return pod.spec?.serviceAccountName
        case "status.podIP", "status.podIPs": return podIP
        case "status.hostIP", "status.hostIPs": return hostIP
        default:
            if let key = bracketKey(path, prefix: "metadata.labels") { return metadata?.labels?[key] }
            if let key = bracketKey(path, prefix: "metadata.annotations") { return metadata?.annotations?[key] }
            return nil
        }
    }

    /// `key` of `prefix['key']`.
    private static func bracketKey(_ path: String, prefix: String) -> String? {
        guard path.hasPrefix(prefix + "['"), path.hasSuffix("']") else { return nil }
        return String(path.dropFirst(prefix.count + 2).dropLast(2))
    }
}
