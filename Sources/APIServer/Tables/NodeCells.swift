import APIModel

/// The cells of a node that need more than a field read, as Kubernetes' node printer writes them.
enum NodeCells {
    /// The label prefix whose suffix names a role: `node-role.kubernetes.io/control-plane`.
    static let roleLabelPrefix = "node-role.kubernetes.io/"
    /// The older label whose value names a role: `kubernetes.io/role=master`.
    static let roleLabel = "kubernetes.io/role"

    /// `Status`: `Ready` or `NotReady` from the (last) `Ready` condition, `Unknown` without one, followed by
    /// `,SchedulingDisabled` when the node is cordoned.
    static func status(of node: Node) -> String {
        var parts: [String] = []
        if let ready = node.status?.conditions?.last(where: { $0.type == "Ready" }) {
            parts.append(ready.status == "True" ? "Ready" : "NotReady")
        } else {
            parts.append("Unknown")
        }
        if node.spec?.unschedulable == true { parts.append("SchedulingDisabled") }
        return parts.joined(separator: ",")
    }

    /// `Roles`: the roles named by `node-role.kubernetes.io/<role>` label keys and by a non-empty
    /// `kubernetes.io/role` label value, sorted and without duplicates; `<none>` without any.
    static func roles(of node: Node) -> String {
        var roles = Set<String>()
        for (key, value) in node.metadata?.labels ?? [:] {
            if key.hasPrefix(roleLabelPrefix) {
                let role = String(key.dropFirst(roleLabelPrefix.count))
                if !role.isEmpty { roles.insert(role) }
            } else if key == roleLabel, !value.isEmpty {
                roles.insert(value)
            }
        }
        guard !roles.isEmpty else { return "<none>" }
        return roles.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.joined(separator: ",")
    }

    /// The first address of a type (`InternalIP`, `ExternalIP`), or `<none>`.
    static func address(of node: Node, type: String) -> String {
        node.status?.addresses?.first { $0.type == type }?.address ?? "<none>"
    }
}
