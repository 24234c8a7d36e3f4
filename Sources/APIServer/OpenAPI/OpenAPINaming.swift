/// How Kubernetes names the REST operations of a group-version: path prefix, operation-id infix and tag.
struct OpenAPINaming {
    let group: String
    let version: String

    /// `/api/v1` or `/apis/<group>/<version>`.
    var pathPrefix: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }

    /// The index key and URL path of the group-version's v3 document: `api/v1`, `apis/apps/v1`.
    var documentPath: String { String(pathPrefix.dropFirst()) }

    /// The group-version in operation ids: `CoreV1`, `AppsV1`, `CoordinationV1`, `RbacAuthorizationV1`.
    var operationInfix: String { groupWords.map(Self.capitalized).joined() + Self.capitalized(version) }

    /// The tag of every operation: `core_v1`, `apps_v1`, `rbacAuthorization_v1`.
    var tag: String {
        let words = groupWords
        return ([words[0]] + words.dropFirst().map(Self.capitalized)).joined() + "_" + version
    }

    /// The group's name without `.k8s.io`, split at dots; `core` for the core group.
    private var groupWords: [String] {
        if group.isEmpty { return ["core"] }
        var name = group
        if name.hasSuffix(".k8s.io") { name = String(name.dropLast(".k8s.io".count)) }
        return name.split(separator: ".").map(String.init)
    }

    private static func capitalized(_ word: String) -> String {
        word.prefix(1).uppercased() + word.dropFirst()
    }
}
