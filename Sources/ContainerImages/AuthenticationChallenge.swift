import Foundation

/// One challenge of a `WWW-Authenticate` header: `Bearer realm="https://auth.example/token",service="registry",
/// scope="repository:library/busybox:pull"` or `Basic realm="Registry Realm"`.
struct AuthenticationChallenge: Equatable {
    /// The scheme, lowercased (`bearer`, `basic`).
    var scheme: String
    /// The auth-params, names lowercased, values unquoted.
    var parameters: [String: String]

    /// The first challenge in a header value; nil when it does not parse.
    init?(header: String) {
        var rest = Substring(header).drop { $0 == " " }
        let scheme = rest.prefix { $0 != " " && $0 != "," }
        guard !scheme.isEmpty else { return nil }
        self.scheme = scheme.lowercased()
        rest = rest.dropFirst(scheme.count)
        var parameters: [String: String] = [:]
        while true {
            rest = rest.drop { $0 == " " || $0 == "," }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let name = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            // A name with a space in it starts the next challenge.
            guard !name.isEmpty, !name.contains(" ") else { break }
            rest = rest[rest.index(after: equals)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped { value.append(character); escaped = false }
                    else if character == "\\" { escaped = true }
                    else if character == "\"" { break }
                    else { value.append(character) }
                }
            } else {
                let token = rest.prefix { $0 != "," && $0 != " " }
                value = String(token)
                rest = rest.dropFirst(token.count)
            }
            parameters[name] = value
        }
        self.parameters = parameters
    }
}
