/// One condition of a field selector: a field, `=` or `!=`, and a value
/// (Kubernetes' `fields.Requirement`).
public struct FieldRequirement: Hashable, Sendable, CustomStringConvertible {
    /// The operators of field selectors. `==` parses as ``equals``.
    public enum Operator: String, Hashable, Sendable, CaseIterable {
        case equals = "="
        case notEquals = "!="
    }

    /// The field's path as the client wrote it, e.g. `metadata.name`.
    public let field: String
    public let `operator`: Operator
    /// The value, unescaped.
    public let value: String

    public init(field: String, operator: Operator, value: String) {
        self.field = field
        self.operator = `operator`
        self.value = value
    }

    /// Whether the fields satisfy this requirement. A missing field compares as the
    /// empty string, so `f=` matches objects without `f` and `f!=x` does too.
    public func matches(_ fields: [String: String]) -> Bool {
        let actual = fields[field] ?? ""
        return `operator` == .equals ? actual == value : actual != value
    }

    /// Kubernetes' string form, `field=value` or `field!=value`, with the value
    /// escaped by ``FieldMatcher/escapeValue(_:)``.
    public var description: String {
        field + `operator`.rawValue + FieldMatcher.escapeValue(value)
    }
}
