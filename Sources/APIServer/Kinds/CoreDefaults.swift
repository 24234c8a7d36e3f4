import Foundation
import APIModel

/// Defaulting of the smaller core kinds: Namespaces (phase, the `kubernetes` finalizer, the name label),
/// Secrets (type, `stringData` folded into `data`) and Nodes (allocatable from capacity).
enum CoreDefaults {
    static func namespace(_ ns: inout Namespace) {
        var status = ns.status ?? NamespaceStatus()
        if status.phase == nil {
            status.phase = "Active"
            ns.status = status
        }
        if ns.spec?.finalizers == nil { ns.spec = NamespaceSpec(finalizers: ["kubernetes"]) }
        // Kubernetes labels every namespace with its own name.
        var labels = ns.metadata?.labels ?? [:]
        if let name = ns.metadata?.name, !name.isEmpty { labels["kubernetes.io/metadata.name"] = name }
        ns.metadata?.labels = labels
    }

    /// Secrets default to `Opaque`; `stringData` is merged into `data` (its values win) and dropped, as
    /// Kubernetes does on write.
    static func secret(_ secret: inout Secret) {
        secret.type = secret.type ?? "Opaque"
        if let strings = secret.stringData {
            var data = secret.data ?? [:]
            for (key, value) in strings { data[key] = Data(value.utf8) }
            secret.data = data
            secret.stringData = nil
        }
    }

    /// A node that reports its capacity but not what is allocatable offers all of it (`SetDefaults_NodeStatus`).
    static func node(_ node: inout Node) {
        if node.status?.allocatable == nil, let capacity = node.status?.capacity {
            node.status?.allocatable = capacity
        }
    }
}
