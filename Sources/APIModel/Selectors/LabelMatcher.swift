/// A label selector: a conjunction of ``LabelRequirement``s, or the selector that
/// matches nothing (Kubernetes' `labels.Selector`).
///
/// Requirements are kept sorted by key (stably, bytewise), which makes
/// ``description`` the canonical string Kubernetes prints.
public struct LabelMatcher: Hashable, Sendable, CustomStringConvertible {
    /// The requirements, all of which must hold; empty for ``everything`` and
    /// ``nothing``.
    public let requirements: [LabelRequirement]
    /// Whether this is ``nothing``, the selector no labels satisfy.
    public let isNothing: Bool

    /// The selector every set of labels satisfies (the empty selector string).
    public static let everything = LabelMatcher([])

    /// The selector no set of labels satisfies (what a nil `LabelSelector` means).
    public static let nothing = LabelMatcher(requirements: [], isNothing: true)

    /// A conjunction of requirements, sorted by key.
    public init(_ requirements: [LabelRequirement]) {
        self.init(requirements: Self.sortedByKey(requirements), isNothing: false)
    }

    /// The selector of exactly these labels: `key=value` for each, without
    /// validation (Kubernetes' `SelectorFromSet`). An empty set gives ``everything``.
    public init(matchingExactly labels: [String: String]) {
        self.init(labels.map { LabelRequirement(unchecked: $0.key, operator: .equals, values: [$0.value]) })
    }

    private init(requirements: [LabelRequirement], isNothing: Bool) {
        self.requirements = requirements
        self.isNothing = isNothing
    }

    /// Whether this selector restricts nothing: no requirements, and not ``nothing``.
    public var isEverything: Bool { !isNothing && requirements.isEmpty }

    /// Whether the labels satisfy every requirement (always false for ``nothing``).
    public func matches(_ labels: [String: String]) -> Bool {
        !isNothing && requirements.allSatisfy { $0.matches(labels) }
    }

    /// This selector with more requirements, re-sorted by key; ``nothing`` stays
    /// ``nothing``.
    public func adding(_ more: [LabelRequirement]) -> LabelMatcher {
        isNothing ? self : LabelMatcher(requirements + more)
    }

    /// The single value the selector requires for `key`, if its first requirement on
    /// that key is `=`, `==` or a one-value `in` (Kubernetes' `RequiresExactMatch`).
    public func requiredValue(forKey key: String) -> String? {
        guard let requirement = requirements.first(where: { $0.key == key }) else { return nil }
        switch requirement.operator {
        case .equals, .doubleEquals, .in:
            return requirement.values.count == 1 ? requirement.values[0] : nil
        default:
            return nil
        }
    }

    /// The canonical string form: requirements joined by `,` without spaces, e.g.
    /// `app=web,tier in (a,b)`; empty for ``everything`` and ``nothing``.
    public var description: String {
        requirements.map(\.description).joined(separator: ",")
    }

    private static func sortedByKey(_ requirements: [LabelRequirement]) -> [LabelRequirement] {
        requirements.enumerated()
            .sorted { lhs, rhs in
                if lhs.element.key != rhs.element.key {
                    return lhs.element.key.precedesBytewise(rhs.element.key)
                }
                return lhs.offset < rhs.offset
            }
            .map(\.element)
    }
}
