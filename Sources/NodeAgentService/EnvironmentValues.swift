import APIModel
import Foundation

/// Values of a container's `valueFrom` variables that the agent resolves itself: `fieldRef` (the pod's name,
/// namespace, uid, labels and annotations, node name, service account, pod and host IP), and
/// `configMapKeyRef`/`secretKeyRef` from the objects passed in. Unresolvable references are left out
/// (the variable is then empty, as Kubernetes does for optional references); `envFrom` is expanded into
/// plain variables. Pure.
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

    /// The container with its `envFrom` sources expanded into plain variables (`prefix` + key, configMaps
    /// then secrets as listed), placed before its own `env`, which wins on equal names as in Kubernetes.
    /// Keys that are not valid variable names are skipped; missing sources add nothing.
    static func expandingEnvFrom(_ container: Container, configMaps: [String: ConfigMap],
                                 secrets: [String: Secret]) -> Container {
        guard let sources = container.envFrom, !sources.isEmpty else { return container }
        var expanded: [EnvVar] = []
        for source in sources {
            let prefix = source.prefix ?? ""
            var values: [(String, String)] = []
            if let name = source.configMapRef?.name, let data = configMaps[name]?.data {
                values = data.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            } else if let name = source.secretRef?.name, let data = secrets[name]?.data {
                values = data.sorted { $0.key < $1.key }.map { ($0.key, String(decoding: $0.value, as: UTF8.self)) }
            }
            for (key, value) in values where isVariableName(prefix + key) {
                expanded.append(EnvVar(name: prefix + key, value: value))
            }
        }
        var container = container
        container.env = expanded + (container.env ?? [])
        container.envFrom = nil
        return container
    }

    /// Kubernetes' C-identifier-like rule for environment variable names (letters, digits, `_`, `-`, `.`, not
    /// starting with a digit).
    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-" || $0 == ".")
        }
    }
}
