import Foundation

/// The query parameters of a resource request.
struct QueryOptions {
    var items: [String: String] = [:]

    init(_ query: String) {
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            // Kubernetes uses the first value of a repeated parameter.
            if items[key] == nil { items[key] = value }
        }
    }

    private static func decode(_ text: Substring) -> String {
        let plus = text.replacingOccurrences(of: "+", with: " ")
        return plus.removingPercentEncoding ?? plus
    }

    subscript(_ key: String) -> String? { items[key] }

    /// A boolean parameter, parsed as Go's `strconv.ParseBool` accepts true (absent or anything else: false).
    func bool(_ key: String) -> Bool {
        guard let value = items[key] else { return false }
        return ["1", "t", "T", "true", "TRUE", "True"].contains(value)
    }

    var isWatch: Bool { bool("watch") }

    func int(_ key: String) throws(APIError) -> Int64? {
        guard let text = items[key], !text.isEmpty else { return nil }
        guard let value = Int64(text) else {
            throw APIError.badRequest("invalid value for \(key): \"\(text)\": must be an integer")
        }
        return value
    }

    var fieldValidation: FieldValidation {
        get throws(APIError) {
            guard let value = items["fieldValidation"], !value.isEmpty else { return .warn }
            guard let parsed = FieldValidation(rawValue: value) else {
                throw APIError.badRequest("fieldValidation must be one of \"Ignore\", \"Warn\", or \"Strict\", got \"\(value)\"")
            }
            return parsed
        }
    }

    /// `dryRun=All`: validate and answer, but store nothing.
    var isDryRun: Bool {
        get throws(APIError) {
            guard let value = items["dryRun"], !value.isEmpty else { return false }
            guard value == "All" else { throw APIError.badRequest("Invalid dry run value: \(value)") }
            return true
        }
    }
}
