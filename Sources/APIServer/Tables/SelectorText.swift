import APIModel

/// How Kubernetes' printers write label sets and label selectors.
enum SelectorText {
    /// A label set as `labels.FormatLabels` writes it: `key=value` pairs sorted by key (bytewise), joined by
    /// commas; `<none>` when empty.
    static func labels(_ labels: [String: String]?) -> String {
        let pairs = (labels ?? [:])
            .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .map { "\($0.key)=\($0.value)" }
        return pairs.isEmpty ? "<none>" : pairs.joined(separator: ",")
    }

    /// A label selector as `metav1.FormatLabelSelector` writes it: the canonical selector string, `<none>` when
    /// that is empty (an absent or empty selector), `<error>` when the selector is invalid.
    static func selector(_ selector: LabelSelector?) -> String {
        guard let matcher = try? LabelMatcher.from(selector) else { return "<error>" }
        let text = matcher.description
        return text.isEmpty ? "<none>" : text
    }

    /// A label selector as the deployment printer writes it: the canonical selector string (empty for an
    /// absent or empty selector), `<invalid>` when the selector is invalid.
    static func deploymentSelector(_ selector: LabelSelector?) -> String {
        guard let matcher = try? LabelMatcher.from(selector) else { return "<invalid>" }
        return matcher.description
    }
}
