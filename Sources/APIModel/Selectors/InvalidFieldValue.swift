/// One Kubernetes `field.Invalid` error, and the aggregation of several, as
/// `labels.NewRequirement` reports them: `values[0][app]: Invalid value: "x": ...`.
struct InvalidFieldValue {
    enum BadValue {
        case string(String)
        case strings([String])
    }

    /// The field path as Kubernetes prints it (`key`, `values[0][app]`, or `<nil>`
    /// for no path at all).
    let field: String
    let badValue: BadValue
    let detail: String

    var message: String {
        let rendered = switch badValue {
        case .string(let value): GoFormatting.quoted(value)
        case .strings(let values): GoFormatting.jsonArray(values)
        }
        return "\(field): Invalid value: \(rendered): \(detail)"
    }

    /// The message of Kubernetes' aggregate of these errors: duplicates dropped, a
    /// single error as is, several as `[first, second]`.
    static func aggregateMessage(_ errors: [InvalidFieldValue]) -> String {
        var seen = Set<String>()
        let messages = errors.map(\.message).filter { seen.insert($0).inserted }
        return messages.count == 1 ? messages[0] : "[" + messages.joined(separator: ", ") + "]"
    }
}
