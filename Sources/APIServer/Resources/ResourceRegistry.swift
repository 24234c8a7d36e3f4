/// The served resources, indexed for path lookup and discovery.
public struct ResourceRegistry: Sendable {
    public let resources: [any ServedResource]
    private let byPath: [String: any ServedResource]

    public init(_ resources: [any ServedResource]) {
        self.resources = resources
        var byPath: [String: any ServedResource] = [:]
        for resource in resources {
            byPath["\(resource.info.group)/\(resource.info.version)/\(resource.info.plural)"] = resource
        }
        self.byPath = byPath
    }

    /// Every resource Skiff serves.
    public static let builtin = ResourceRegistry(BuiltinResources.all())

    public func resource(group: String, version: String, plural: String) -> (any ServedResource)? {
        byPath["\(group)/\(version)/\(plural)"]
    }

    /// The resource serving a kind.
    public func resource(for gvk: (group: String, kind: String)) -> (any ServedResource)? {
        resources.first { $0.info.group == gvk.group && $0.info.kind == gvk.kind }
    }

    public func hasGroup(_ group: String) -> Bool { resources.contains { $0.info.group == group } }

    public func hasGroupVersion(_ group: String, _ version: String) -> Bool {
        resources.contains { $0.info.group == group && $0.info.version == version }
    }

    /// The API groups other than core, in the order Kubernetes lists them.
    public var groups: [String] {
        var seen: [String] = []
        for resource in resources where !resource.info.group.isEmpty && !seen.contains(resource.info.group) {
            seen.append(resource.info.group)
        }
        return seen
    }

    /// The resources of one group and version.
    public func resources(group: String, version: String) -> [any ServedResource] {
        resources.filter { $0.info.group == group && $0.info.version == version }
    }

    /// The versions served for a group (one per group today).
    public func versions(of group: String) -> [String] {
        var seen: [String] = []
        for resource in resources where resource.info.group == group && !seen.contains(resource.info.version) {
            seen.append(resource.info.version)
        }
        return seen
    }
}
