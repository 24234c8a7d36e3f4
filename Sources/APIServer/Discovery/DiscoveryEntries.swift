import APIModel

/// The per-resource entries of the discovery documents, built from `ResourceInfo` as Kubernetes builds
/// them from its REST storage: resources sorted by name, each followed by its subresources.
enum DiscoveryEntries {
    /// The verbs of a served top-level resource, in Kubernetes' (alphabetical) order. Namespaces, as in
    /// Kubernetes, cannot be deleted as a collection.
    static func verbs(of info: ResourceInfo) -> [String] {
        if info.createOnly { return ["create"] }
        if info.isNamespace {
            return ["create", "delete", "get", "list", "patch", "update", "watch"]
        }
        return ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
    }

    /// The verbs of a subresource: `status` and `scale` are read and written, actions only created.
    static func verbs(of subresource: ResourceInfo.Subresource) -> [String] {
        switch subresource {
        case .log: ["get"]
        case .exec, .portforward: ["create", "get"]
        case .binding, .eviction: ["create"]
        case .status, .scale: ["get", "patch", "update"]
        }
    }

    /// The kind a subresource answers with when it is not the resource's own kind (`scale` answers with
    /// `autoscaling/v1 Scale`).
    static func foreignKind(of subresource: ResourceInfo.Subresource) -> GroupVersionKind? {
        switch subresource {
        case .status, .log: nil
        case .exec: GroupVersionKind(group: "", version: "v1", kind: "PodExecOptions")
        case .portforward: GroupVersionKind(group: "", version: "v1", kind: "PodPortForwardOptions")
        case .scale: GroupVersionKind(group: "autoscaling", version: "v1", kind: "Scale")
        case .binding: GroupVersionKind(group: "", version: "v1", kind: "Binding")
        case .eviction: GroupVersionKind(group: "policy", version: "v1", kind: "Eviction")
        }
    }

    /// The resources sorted by plural name, and their subresources sorted by name.
    static func sorted(_ infos: [ResourceInfo]) -> [(info: ResourceInfo, subresources: [ResourceInfo.Subresource])] {
        infos.sorted { $0.plural < $1.plural }
            .map { ($0, $0.subresources.sorted { $0.rawValue < $1.rawValue }) }
    }

    // MARK: Legacy (`APIResourceList`)

    /// The `APIResource` entries of one group-version: each resource, then `resource/subresource` entries.
    static func legacyResources(_ infos: [ResourceInfo]) -> [JSONValue] {
        var entries: [JSONValue] = []
        for (info, subresources) in sorted(infos) {
            var resource: [String: JSONValue] = [
                "name": .string(info.plural),
                "singularName": .string(info.singular),
                "namespaced": .bool(info.namespaced),
                "kind": .string(info.kind),
                "verbs": strings(verbs(of: info)),
                "storageVersionHash": .string(DiscoveryDocuments.storageVersionHash(
                    group: info.group, version: info.version, kind: info.kind)),
            ]
            if !info.shortNames.isEmpty { resource["shortNames"] = strings(info.shortNames) }
            if !info.categories.isEmpty { resource["categories"] = strings(info.categories) }
            entries.append(.object(resource))
            for subresource in subresources {
                var entry: [String: JSONValue] = [
                    "name": .string("\(info.plural)/\(subresource.rawValue)"),
                    "singularName": .string(""),
                    "namespaced": .bool(info.namespaced),
                    "kind": .string(info.kind),
                    "verbs": strings(verbs(of: subresource)),
                ]
                if let kind = foreignKind(of: subresource) {
                    // Kubernetes names the group and version only when they differ from the resource's.
                    if kind.group != info.group || kind.version != info.version {
                        entry["group"] = .string(kind.group)
                        entry["version"] = .string(kind.version)
                    }
                    entry["kind"] = .string(kind.kind)
                }
                entries.append(.object(entry))
            }
        }
        return entries
    }

    // MARK: Aggregated (`APIResourceDiscovery`)

    /// The `APIResourceDiscovery` entries of one group-version, subresources nested.
    static func aggregatedResources(_ infos: [ResourceInfo]) -> [JSONValue] {
        sorted(infos).map { info, subresources in
            var resource: [String: JSONValue] = [
                "resource": .string(info.plural),
                // As Kubernetes: the resource's own kind carries no group or version.
                "responseKind": groupVersionKind(group: "", version: "", kind: info.kind),
                "scope": .string(info.namespaced ? "Namespaced" : "Cluster"),
                "singularResource": .string(info.singular),
                "verbs": strings(verbs(of: info)),
            ]
            if !info.shortNames.isEmpty { resource["shortNames"] = strings(info.shortNames) }
            if !info.categories.isEmpty { resource["categories"] = strings(info.categories) }
            if !subresources.isEmpty {
                resource["subresources"] = .array(subresources.map { subresource in
                    let kind = foreignKind(of: subresource) ?? GroupVersionKind(group: "", version: "", kind: info.kind)
                    return .object([
                        "subresource": .string(subresource.rawValue),
                        "responseKind": groupVersionKind(group: kind.group, version: kind.version, kind: kind.kind),
                        "verbs": strings(verbs(of: subresource)),
                    ])
                })
            }
            return .object(resource)
        }
    }

    static func groupVersionKind(group: String, version: String, kind: String) -> JSONValue {
        .object(["group": .string(group), "version": .string(version), "kind": .string(kind)])
    }

    static func strings(_ values: [String]) -> JSONValue {
        .array(values.map(JSONValue.string))
    }
}
