/// A field selector: a conjunction of ``FieldRequirement``s (Kubernetes'
/// `fields.Selector`). Which fields exist is up to the API server, which turns an
/// object into a `[String: String]` of its selectable fields and rejects selectors
/// naming others (see ``unsupportedFields(supported:)``).
public struct FieldMatcher: Hashable, Sendable, CustomStringConvertible {
    /// The requirements, all of which must hold; the parser gives them sorted by
    /// their text.
    public let requirements: [FieldRequirement]

    /// The selector every object satisfies (the empty selector string).
    public static let everything = FieldMatcher([])

    /// A conjunction of requirements, in the order given.
    public init(_ requirements: [FieldRequirement]) {
        self.requirements = requirements
    }

    /// The selector of exactly these fields, `field=value` for each, sorted by field
    /// (Kubernetes' `fields.SelectorFromSet`).
    public init(matchingExactly fields: [String: String]) {
        self.init(fields.keys.sorted { $0.precedesBytewise($1) }.map {
            FieldRequirement(field: $0, operator: .equals, value: fields[$0] ?? "")
        })
    }

    /// Whether this selector restricts nothing.
    public var isEverything: Bool { requirements.isEmpty }

    /// Whether the fields satisfy every requirement; missing fields compare as "".
    public func matches(_ fields: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(fields) }
    }

    /// The value the selector requires `field` to equal, from its first `=`
    /// requirement on that field (Kubernetes' `RequiresExactMatch`), e.g. to turn
    /// `metadata.name=foo` into a direct read.
    public func requiredValue(forField field: String) -> String? {
        requirements.first { $0.field == field && $0.operator == .equals }?.value
    }

    /// The fields the selector names that are not in `supported`, in requirement
    /// order, each once.
    public func unsupportedFields(supported: Set<String>) -> [String] {
        var seen = Set<String>()
        return requirements.map(\.field).filter { !supported.contains($0) && seen.insert($0).inserted }
    }

    /// Throws Kubernetes' error for the first field not in `supported`:
    /// `field label not supported: foo` (the API server answers it with 400 BadRequest).
    public func validateFields(supported: Set<String>) throws(SelectorParseError) {
        if let field = unsupportedFields(supported: supported).first {
            throw SelectorParseError(Self.unsupportedFieldMessage(field))
        }
    }

    /// `field label not supported: <field>`, Kubernetes' message for a field
    /// selector on a field the resource does not index.
    public static func unsupportedFieldMessage(_ field: String) -> String {
        "field label not supported: \(field)"
    }

    /// The canonical string form: requirements joined by `,`, values escaped; empty
    /// for ``everything``.
    public var description: String {
        requirements.map(\.description).joined(separator: ",")
    }
}
