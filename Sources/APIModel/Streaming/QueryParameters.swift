import Foundation

/// A request's query parameters in order, with Kubernetes' conversions of `url.Values` into option
/// structs (`runtime.Convert_Slice_string_To_*`): the first value of a parameter counts.
public struct QueryParameters: Sendable, Equatable {
    public var items: [(name: String, value: String)]

    public init(_ items: [(name: String, value: String)]) { self.items = items }

    /// Parses a raw query string (`a=1&b=x%20y`; `+` is a space).
    public init(query: String) {
        items = query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] { items.filter { $0.name == name }.map(\.value) }

    /// The first value of `name`.
    public func first(_ name: String) -> String? { items.first { $0.name == name }?.value }

    /// A boolean as Kubernetes converts one: absent is false; `0`, `false` and `f` (any case) are false;
    /// anything else, the empty string included, is true.
    public func bool(_ name: String) -> Bool {
        guard let value = first(name) else { return false }
        return !(value == "0" || value.lowercased() == "false" || value.lowercased() == "f")
    }

    /// An integer parameter; throws with Go's `strconv.ParseInt` wording for what does not parse.
    public func int(_ name: String) throws(QueryParameterError) -> Int? {
        guard let value = first(name) else { return nil }
        guard let number = Int(value) else {
            throw QueryParameterError(message: "strconv.ParseInt: parsing \(GoFormatting.quoted(value)): invalid syntax")
        }
        return number
    }

    /// The query string, every byte outside the unreserved set percent-encoded, in order.
    public var encoded: String {
        items.map { Self.escape($0.name) + "=" + Self.escape($0.value) }.joined(separator: "&")
    }

    private static let unreserved = CharacterSet(charactersIn:
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")

    private static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    public static func == (lhs: QueryParameters, rhs: QueryParameters) -> Bool {
        lhs.items.map(\.name) == rhs.items.map(\.name) && lhs.items.map(\.value) == rhs.items.map(\.value)
    }
}

/// A query parameter that cannot be converted (answered as 400 BadRequest).
public struct QueryParameterError: Error, Sendable, Equatable {
    public var message: String
    public init(message: String) { self.message = message }
}
