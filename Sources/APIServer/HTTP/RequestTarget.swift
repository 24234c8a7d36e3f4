/// What a request path addresses.
enum RequestTarget {
    case version
    case health(String)
    case metrics
    /// `/api`
    case coreVersions
    /// `/apis`
    case groups
    /// `/apis/<group>`
    case group(String)
    /// `/api/v1` or `/apis/<group>/<version>`
    case resourceList(group: String, version: String)
    case openAPIv3Index
    /// `/openapi/v3/api/v1`, `/openapi/v3/apis/apps/v1`
    case openAPIv3(group: String, version: String)
    case openAPIv2
    case resource(ResourcePath)
    /// `/v1-skiff/cacerts`, `/v1-skiff/node-credentials` (`NodeJoinEndpoints`)
    case join(String)
    case notFound

    /// Parses a request path (without the query) against the served resources.
    static func parse(_ path: String, registry: ResourceRegistry) -> RequestTarget {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let first = parts.first else { return .notFound }
        switch first {
        case "version": return parts.count == 1 ? .version : .notFound
        case "healthz", "livez", "readyz": return .health(first)
        case "metrics": return parts.count == 1 ? .metrics : .notFound
        case "v1-skiff": return parts.count == 2 ? .join(parts[1]) : .notFound
        case "openapi":
            if parts.count == 2, parts[1] == "v2" { return .openAPIv2 }
            if parts.count == 2, parts[1] == "v3" { return .openAPIv3Index }
            if parts.count == 4, parts[1] == "v3", parts[2] == "api" { return .openAPIv3(group: "", version: parts[3]) }
            if parts.count == 5, parts[1] == "v3", parts[2] == "apis" { return .openAPIv3(group: parts[3], version: parts[4]) }
            return .notFound
        case "api":
            if parts.count == 1 { return .coreVersions }
            if parts.count == 2 { return registry.hasGroupVersion("", parts[1]) ? .resourceList(group: "", version: parts[1]) : .notFound }
            return resource(group: "", version: parts[1], rest: Array(parts[2...]), registry: registry)
        case "apis":
            if parts.count == 1 { return .groups }
            if parts.count == 2 { return registry.hasGroup(parts[1]) ? .group(parts[1]) : .notFound }
            if parts.count == 3 {
                return registry.hasGroupVersion(parts[1], parts[2]) ? .resourceList(group: parts[1], version: parts[2]) : .notFound
            }
            return resource(group: parts[1], version: parts[2], rest: Array(parts[3...]), registry: registry)
        default:
            return .notFound
        }
    }

    private static func resource(group: String, version: String, rest: [String], registry: ResourceRegistry) -> RequestTarget {
        func lookup(_ plural: String) -> (any ServedResource)? { registry.resource(group: group, version: version, plural: plural) }
        // namespaces/<ns>/<resource>[/<name>[/<subresource>]]
        if rest.count >= 3, rest[0] == "namespaces", let resource = lookup(rest[2]), resource.info.namespaced {
            guard rest.count <= 5 else { return .notFound }
            return .resource(ResourcePath(resource: resource, namespace: rest[1],
                                          name: rest.count >= 4 ? rest[3] : nil,
                                          subresource: rest.count == 5 ? rest[4] : nil))
        }
        // <resource>[/<name>[/<subresource>]] (cluster-scoped, or all namespaces for a collection)
        guard let resource = lookup(rest[0]), rest.count <= 3 else { return .notFound }
        if resource.info.namespaced && rest.count > 1 { return .notFound }
        return .resource(ResourcePath(resource: resource, namespace: nil,
                                      name: rest.count >= 2 ? rest[1] : nil,
                                      subresource: rest.count == 3 ? rest[2] : nil))
    }
}

/// A path to a resource collection, an object or an object's subresource.
struct ResourcePath {
    var resource: any ServedResource
    /// The namespace in the path; nil for cluster-scoped resources and all-namespace collections.
    var namespace: String?
    var name: String?
    var subresource: String?

    var info: ResourceInfo { resource.info }
}
