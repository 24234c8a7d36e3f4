import APIModel
import Foundation

/// The discovery documents of the served resources, computed once from the registry and immutable:
/// legacy discovery (`/api`, `/apis`, `/apis/<group>`, `/api/v1`, `/apis/<group>/<version>`) and the
/// aggregated `APIGroupDiscoveryList` of `/api` and `/apis` in `apidiscovery.k8s.io/v2` and `v2beta1`.
///
/// Bodies are compact JSON with sorted keys. Only groups with served resources appear (`autoscaling`, the
/// group of `Scale`, is only a subresource kind and is not listed).
public struct DiscoveryDocuments: Sendable {
    private let apiVersionsBody: Data
    private let apiGroupListBody: Data
    /// `APIGroup` bodies by group name.
    private let groupBodies: [String: Data]
    /// `APIResourceList` bodies by group-version (`v1`, `apps/v1`).
    private let resourceListBodies: [String: Data]
    /// Aggregated bodies for `/api`, by version.
    private let aggregatedCoreBodies: [AggregatedDiscoveryVersion: Data]
    /// Aggregated bodies for `/apis`, by version.
    private let aggregatedGroupBodies: [AggregatedDiscoveryVersion: Data]

    /// Builds every document.
    /// - Parameters:
    ///   - registry: the served resources.
    ///   - serverAddress: the `host:port` clients reach the server at, reported in
    ///     `serverAddressByClientCIDRs` of `/api` (e.g. `127.0.0.1:6443`).
    public init(registry: ResourceRegistry, serverAddress: String) {
        let infos = registry.resources.map(\.info)
        let coreVersions = registry.versions(of: "")
        let groups = registry.groups

        apiVersionsBody = JSONValue.object([
            "kind": .string("APIVersions"),
            "versions": DiscoveryEntries.strings(coreVersions),
            "serverAddressByClientCIDRs": .array([.object([
                "clientCIDR": .string("0.0.0.0/0"),
                "serverAddress": .string(serverAddress),
            ])]),
        ]).serialized()

        var groupBodies: [String: Data] = [:]
        var groupEntries: [JSONValue] = []
        for group in groups {
            let entry = Self.apiGroup(group, versions: registry.versions(of: group))
            groupEntries.append(.object(entry))
            var body = entry
            body["kind"] = .string("APIGroup")
            body["apiVersion"] = .string("v1")
            groupBodies[group] = JSONValue.object(body).serialized()
        }
        self.groupBodies = groupBodies
        apiGroupListBody = JSONValue.object([
            "kind": .string("APIGroupList"),
            "apiVersion": .string("v1"),
            "groups": .array(groupEntries),
        ]).serialized()

        var resourceListBodies: [String: Data] = [:]
        for group in [""] + groups {
            for version in registry.versions(of: group) {
                let groupVersion = group.isEmpty ? version : "\(group)/\(version)"
                let members = infos.filter { $0.group == group && $0.version == version }
                resourceListBodies[groupVersion] = JSONValue.object([
                    "kind": .string("APIResourceList"),
                    "apiVersion": .string("v1"),
                    "groupVersion": .string(groupVersion),
                    "resources": .array(DiscoveryEntries.legacyResources(members)),
                ]).serialized()
            }
        }
        self.resourceListBodies = resourceListBodies

        var coreBodies: [AggregatedDiscoveryVersion: Data] = [:]
        var groupListBodies: [AggregatedDiscoveryVersion: Data] = [:]
        for version in AggregatedDiscoveryVersion.allCases {
            let coreItems = coreVersions.isEmpty ? [] : [Self.aggregatedGroup("", registry: registry, infos: infos)]
            coreBodies[version] = Self.aggregatedList(coreItems, version: version)
            groupListBodies[version] = Self.aggregatedList(
                groups.map { Self.aggregatedGroup($0, registry: registry, infos: infos) }, version: version)
        }
        aggregatedCoreBodies = coreBodies
        aggregatedGroupBodies = groupListBodies
    }

    /// `GET /api`: the `APIVersions` of the core group.
    public func apiVersions() -> Data { apiVersionsBody }

    /// `GET /apis`: the `APIGroupList` of every group but core, in registry order.
    public func apiGroupList() -> Data { apiGroupListBody }

    /// `GET /apis/<group>`: the `APIGroup`, or nil when the group is not served (or is core).
    public func apiGroup(_ group: String) -> Data? { groupBodies[group] }

    /// `GET /api/v1` (group `""`) or `GET /apis/<group>/<version>`: the `APIResourceList`, or nil when the
    /// group-version is not served.
    public func apiResourceList(group: String, version: String) -> Data? {
        resourceListBodies[group.isEmpty ? version : "\(group)/\(version)"]
    }

    /// The aggregated `APIGroupDiscoveryList` of `/api` (`core: true`: the core group only) or `/apis`
    /// (every other group, in registry order). Serve it with `contentType(version)`.
    public func aggregated(core: Bool, version: AggregatedDiscoveryVersion) -> Data {
        (core ? aggregatedCoreBodies : aggregatedGroupBodies)[version] ?? Data()
    }

    // MARK: Building

    /// The members of an `APIGroup` (without kind/apiVersion); the first version is preferred.
    private static func apiGroup(_ group: String, versions: [String]) -> [String: JSONValue] {
        let entries = versions.map { version in
            JSONValue.object(["groupVersion": .string("\(group)/\(version)"), "version": .string(version)])
        }
        var members: [String: JSONValue] = ["name": .string(group), "versions": .array(entries)]
        if let preferred = entries.first { members["preferredVersion"] = preferred }
        return members
    }

    /// One `APIGroupDiscovery`: the group's versions, each with its resources.
    private static func aggregatedGroup(_ group: String, registry: ResourceRegistry, infos: [ResourceInfo]) -> JSONValue {
        let versions = registry.versions(of: group).map { version in
            JSONValue.object([
                "version": .string(version),
                "freshness": .string("Current"),
                "resources": .array(DiscoveryEntries.aggregatedResources(
                    infos.filter { $0.group == group && $0.version == version })),
            ])
        }
        let metadata: JSONValue = group.isEmpty ? .object([:]) : .object(["name": .string(group)])
        return .object(["metadata": metadata, "versions": .array(versions)])
    }

    private static func aggregatedList(_ items: [JSONValue], version: AggregatedDiscoveryVersion) -> Data {
        JSONValue.object([
            "kind": .string(AggregatedDiscoveryVersion.listKind),
            "apiVersion": .string(version.apiVersion),
            "metadata": .object([:]),
            "items": .array(items),
        ]).serialized()
    }
}
