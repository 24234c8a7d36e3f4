import APIModel

/// One node selector term, converted once: its `matchExpressions` as a label matcher and
/// its `matchFields` as conditions on the node name (Kubernetes' `nodeSelectorTerm`).
///
/// A term that Kubernetes cannot parse (an unknown operator, an invalid key or value,
/// `Gt`/`Lt` without exactly one integer, a field other than `metadata.name`, a field
/// operator other than `In`/`NotIn` with exactly one value) matches no node.
public struct NodeSelectorTermMatcher: Sendable {
    private let labels: LabelMatcher?
    private let names: [(name: String, equal: Bool)]
    private let isValid: Bool

    /// Whether the term has neither expressions nor fields; Kubernetes skips such terms.
    public let isEmpty: Bool

    public init(_ term: NodeSelectorTerm) {
        let expressions = term.matchExpressions ?? []
        let fields = term.matchFields ?? []
        isEmpty = expressions.isEmpty && fields.isEmpty
        var valid = true
        var requirements: [LabelRequirement] = []
        for expression in expressions {
            guard let requirement = Self.requirement(expression) else {
                valid = false
                continue
            }
            requirements.append(requirement)
        }
        labels = expressions.isEmpty ? nil : LabelMatcher(requirements)
        var names: [(String, Bool)] = []
        for field in fields {
            let values = field.values ?? []
            guard field.key == "metadata.name", values.count == 1,
                  field.operator == "In" || field.operator == "NotIn" else {
                valid = false
                continue
            }
            names.append((values[0], field.operator == "In"))
        }
        self.names = names
        isValid = valid
    }

    /// Whether a node with these labels and name satisfies every expression and field.
    public func matches(labels nodeLabels: [String: String], name: String) -> Bool {
        guard isValid else { return false }
        if let labels, !labels.matches(nodeLabels) { return false }
        for condition in names where (name == condition.name) != condition.equal { return false }
        return true
    }

    private static func requirement(_ expression: NodeSelectorRequirement) -> LabelRequirement? {
        let op: LabelRequirement.Operator
        switch expression.operator ?? "" {
        case "In": op = .in
        case "NotIn": op = .notIn
        case "Exists": op = .exists
        case "DoesNotExist": op = .doesNotExist
        case "Gt": op = .greaterThan
        case "Lt": op = .lessThan
        default: return nil
        }
        return try? LabelRequirement(key: expression.key ?? "", operator: op, values: expression.values ?? [])
    }
}
