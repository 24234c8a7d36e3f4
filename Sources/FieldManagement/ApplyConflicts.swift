import APIModel

/// Why an apply was refused: fields it would change are owned by other managers. The API layer answers
/// 409 Conflict with `message` and `causes` (kube-apiserver's `NewApplyConflict`).
public struct ApplyConflicts: Error, Hashable, Sendable, CustomStringConvertible {
    /// One field owned by another manager that the apply would change.
    public struct Conflict: Hashable, Sendable {
        public var owner: ManagerIdentity
        /// The API version the owner wrote the field with.
        public var apiVersion: String
        public var path: FieldPath

        public init(owner: ManagerIdentity, apiVersion: String, path: FieldPath) {
            self.owner = owner
            self.apiVersion = apiVersion
            self.path = path
        }
    }

    /// The conflicts, grouped by owner (owners in order), each owner's fields in field-set order.
    public var conflicts: [Conflict]

    public init(_ conflicts: [Conflict]) {
        self.conflicts = conflicts
    }

    /// Kubernetes' message: `Apply failed with 1 conflict: conflict with "m" using apps/v1: .spec.replicas`,
    /// or for several, `Apply failed with 2 conflicts: conflicts with "m" using apps/v1:` followed by one
    /// `- <path>` line per field, owner after owner.
    public var message: String {
        if conflicts.count == 1, let only = conflicts.first {
            return "Apply failed with 1 conflict: conflict with \(only.owner): \(only.path)"
        }
        var lines: [String] = []
        var current: ManagerIdentity?
        for conflict in conflicts {
            if conflict.owner != current {
                lines.append("conflicts with \(conflict.owner):")
                current = conflict.owner
            }
            lines.append("- \(conflict.path)")
        }
        return "Apply failed with \(conflicts.count) conflicts: " + lines.joined(separator: "\n")
    }

    /// One cause per conflict: reason `FieldManagerConflict`, message `conflict with "m" using apps/v1`,
    /// field `.spec.replicas`.
    public var causes: [StatusCause] {
        conflicts.map { StatusCause(field: $0.path.description, message: "conflict with \($0.owner)", reason: "FieldManagerConflict") }
    }

    public var description: String { message }
}
