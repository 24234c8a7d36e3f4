/// Builders for the message fragments Kubernetes' validators share, so every
/// check words its failures exactly as `k8s.io/apimachinery` does.
enum ValidationMessages {
    /// `must be non-empty`
    static let empty = "must be non-empty"

    /// The length failure of `util/validation` (DNS names): counted in characters.
    static func maxLengthInCharacters(_ limit: Int) -> String {
        "must be no more than \(limit) characters"
    }

    /// The length failure of `api/validate/content` (label keys and values, and the
    /// DNS prefix of a label key), worded in characters as Kubernetes 1.32 does (1.35 and later say bytes).
    static func maxLengthInBytes(_ limit: Int) -> String {
        "must be no more than \(limit) characters"
    }

    /// A pattern failure: the description, then the examples and the pattern in the
    /// parenthesis Kubernetes appends (including its `',  or '` spacing).
    static func pattern(_ description: String, regex: String, examples: [String]) -> String {
        guard !examples.isEmpty else {
            return description + " (regex used for validation is '" + regex + "')"
        }
        var message = description + " (e.g. "
        for (index, example) in examples.enumerated() {
            if index > 0 { message += " or " }
            message += "'" + example + "', "
        }
        return message + "regex used for validation is '" + regex + "')"
    }
}
