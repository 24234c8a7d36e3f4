extension LabelMatcher {
    /// The matcher of an API label selector (Kubernetes' `LabelSelectorAsSelector`).
    ///
    /// An empty selector (`{}`: no `matchLabels`, no `matchExpressions`) is
    /// ``everything``. Each `matchLabels` entry is `key=value`; each expression's
    /// operator is `In`, `NotIn` (values required), `Exists` or `DoesNotExist` (values
    /// forbidden). A missing `key` or `operator` reads as the empty string, as in Go.
    ///
    /// To convert an optional selector, where nil means ``nothing``, use
    /// ``from(_:)``.
    ///
    /// - Throws: ``SelectorParseError`` for an unknown operator
    ///   (`"Foo" is not a valid label selector operator`) or an invalid requirement
    ///   (see ``LabelRequirement/init(key:operator:values:)``).
    public init(_ selector: LabelSelector) throws(SelectorParseError) {
        let labels = selector.matchLabels ?? [:]
        let expressions = selector.matchExpressions ?? []
        if labels.isEmpty && expressions.isEmpty {
            self = .everything
            return
        }
        var requirements: [LabelRequirement] = []
        for key in labels.keys.sorted(by: { $0.precedesBytewise($1) }) {
            requirements.append(try LabelRequirement(key: key, operator: .equals, values: [labels[key] ?? ""]))
        }
        for expression in expressions {
            let name = expression.operator ?? ""
            let op: LabelRequirement.Operator
            switch name {
            case "In": op = .in
            case "NotIn": op = .notIn
            case "Exists": op = .exists
            case "DoesNotExist": op = .doesNotExist
            default:
                throw SelectorParseError("\(GoFormatting.quoted(name)) is not a valid label selector operator")
            }
            requirements.append(try LabelRequirement(
                key: expression.key ?? "", operator: op, values: expression.values ?? []))
        }
        self.init(requirements)
    }

    /// The matcher of an optional API label selector, with Kubernetes' meaning of
    /// absence: nil selects ``nothing``, while an empty selector selects
    /// ``everything``.
    public static func from(_ selector: LabelSelector?) throws(SelectorParseError) -> LabelMatcher {
        guard let selector else { return .nothing }
        return try LabelMatcher(selector)
    }
}
