/// One condition of a label selector: a key, an operator, and the values the
/// operator relates the key to (Kubernetes' `labels.Requirement`).
///
/// A requirement built through ``init(key:operator:values:)`` or parsed by
/// ``LabelMatcher/parse(_:)`` has been validated as Kubernetes validates it.
public struct LabelRequirement: Hashable, Sendable, CustomStringConvertible {
    /// The operators of Kubernetes' label selectors. The raw values are Kubernetes'
    /// `selection.Operator` strings.
    public enum Operator: String, Hashable, Sendable, CaseIterable {
        /// `key=value`: the label is present and has the value.
        case equals = "="
        /// `key==value`: the same as ``equals``; kept apart only so the string form
        /// round-trips as Kubernetes' does.
        case doubleEquals = "=="
        /// `key!=value`: the label is absent or has another value.
        case notEquals = "!="
        /// `key in (a,b)`: the label is present and has one of the values.
        case `in` = "in"
        /// `key notin (a,b)`: the label is absent or has none of the values.
        case notIn = "notin"
        /// `key`: the label is present.
        case exists = "exists"
        /// `!key`: the label is absent.
        case doesNotExist = "!"
        /// `key>5`: the label is present and is an integer greater than the value.
        case greaterThan = "gt"
        /// `key<5`: the label is present and is an integer less than the value.
        case lessThan = "lt"
    }

    /// The label key this requirement is about.
    public let key: String
    /// How ``values`` relate to the label.
    public let `operator`: Operator
    /// The values, in the order given (the parser gives them sorted and deduplicated).
    public let values: [String]

    /// Builds a requirement after Kubernetes' checks (`labels.NewRequirement`): the key
    /// is a qualified name; `in`/`notin` have at least one value; `=`, `==`, `!=` exactly
    /// one; `exists` and `!` none; `gt`/`lt` exactly one integer; every value is a valid
    /// label value.
    ///
    /// - Throws: ``SelectorParseError`` with all the problems in Kubernetes' wording,
    ///   e.g. `values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty`.
    public init(key: String, operator: Operator, values: [String] = []) throws(SelectorParseError) {
        let problems = Self.problems(key: key, operator: `operator`, values: values)
        guard problems.isEmpty else {
            throw SelectorParseError(InvalidFieldValue.aggregateMessage(problems))
        }
        self.init(unchecked: key, operator: `operator`, values: values)
    }

    /// Builds a requirement without validating it, for selectors Kubernetes also
    /// builds unvalidated (selectors from a label set).
    init(unchecked key: String, operator: Operator, values: [String]) {
        self.key = key
        self.operator = `operator`
        self.values = values
    }

    /// Whether the labels satisfy this requirement. `!=` and `notin` match labels
    /// without the key, `=`, `==`, `in`, `gt` and `lt` need it; `gt`/`lt` fail when
    /// either side is not a 64-bit integer.
    public func matches(_ labels: [String: String]) -> Bool {
        switch `operator` {
        case .equals, .doubleEquals, .in:
            guard let value = labels[key] else { return false }
            return values.contains(value)
        case .notEquals, .notIn:
            guard let value = labels[key] else { return true }
            return !values.contains(value)
        case .exists:
            return labels[key] != nil
        case .doesNotExist:
            return labels[key] == nil
        case .greaterThan, .lessThan:
            guard let label = labels[key], let actual = Int64(label),
                  values.count == 1, let bound = Int64(values[0]) else { return false }
            return `operator` == .greaterThan ? actual > bound : actual < bound
        }
    }

    /// Kubernetes' string form: `key=v`, `key==v`, `key!=v`, `key in (a,b)`,
    /// `key notin (a)`, `key`, `!key`, `key>1`, `key<1`, with several values sorted.
    public var description: String {
        let rendered = values.count == 1
            ? values[0]
            : values.sorted { $0.precedesBytewise($1) }.joined(separator: ",")
        switch `operator` {
        case .exists: return key
        case .doesNotExist: return "!" + key
        case .equals, .doubleEquals, .notEquals: return key + `operator`.rawValue + rendered
        case .in: return key + " in (" + rendered + ")"
        case .notIn: return key + " notin (" + rendered + ")"
        case .greaterThan: return key + ">" + rendered
        case .lessThan: return key + "<" + rendered
        }
    }

    private static func problems(key: String, operator: Operator, values: [String]) -> [InvalidFieldValue] {
        var problems: [InvalidFieldValue] = []
        let keyErrors = NameValidation.isQualifiedName(key)
        if !keyErrors.isEmpty {
            problems.append(InvalidFieldValue(field: "key", badValue: .string(key),
                                              detail: keyErrors.joined(separator: "; ")))
        }
        func invalidValues(_ detail: String) -> InvalidFieldValue {
            InvalidFieldValue(field: "values", badValue: .strings(values), detail: detail)
        }
        switch `operator` {
        case .in, .notIn:
            if values.isEmpty {
                problems.append(invalidValues("for 'in', 'notin' operators, values set can't be empty"))
            }
        case .equals, .doubleEquals, .notEquals:
            if values.count != 1 {
                problems.append(invalidValues("exact-match compatibility requires one single value"))
            }
        case .exists, .doesNotExist:
            if !values.isEmpty {
                problems.append(invalidValues("values set must be empty for exists and does not exist"))
            }
        case .greaterThan, .lessThan:
            if values.count != 1 {
                problems.append(invalidValues("for 'Gt', 'Lt' operators, exactly one value is required"))
            }
            for (index, value) in values.enumerated() where Int64(value) == nil {
                problems.append(InvalidFieldValue(
                    field: "values[\(index)]", badValue: .string(value),
                    detail: "for 'Gt', 'Lt' operators, the value must be an integer"))
            }
        }
        for (index, value) in values.enumerated() {
            let valueErrors = NameValidation.isValidLabelValue(value)
            if !valueErrors.isEmpty {
                problems.append(InvalidFieldValue(
                    field: "values[\(index)][\(key)]", badValue: .string(value),
                    detail: valueErrors.joined(separator: "; ")))
            }
        }
        return problems
    }
}
