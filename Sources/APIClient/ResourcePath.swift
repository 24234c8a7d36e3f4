import APIModel

/// Where a kind of resource is served: its API group and version, its plural name in URLs, and
/// whether its objects live in namespaces.
///
/// `ResourcePath.pods.collection(namespace: "default")` is `/api/v1/namespaces/default/pods`;
/// `ResourcePath.deployments.object("web", namespace: "prod")` is
/// `/apis/apps/v1/namespaces/prod/deployments/web`.
public struct ResourcePath: Sendable, Hashable, CustomStringConvertible {
    /// The API group; empty for the core group (served under `/api`).
    public var group: String
    public var version: String
    /// The lower-case plural used in URLs, e.g. `pods`.
    public var plural: String
    /// Whether objects of this resource belong to a namespace.
    public var namespaced: Bool

    public init(group: String, version: String, plural: String, namespaced: Bool) {
        self.group = group
        self.version = version
        self.plural = plural
        self.namespaced = namespaced
    }

    /// `/api/v1` for the core group, `/apis/<group>/<version>` otherwise.
    public var groupVersionPrefix: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }

    /// The path of the collection: in `namespace` when the resource is namespaced and a namespace is
    /// given, across all namespaces when it is namespaced and `namespace` is nil. A namespace given for a
    /// cluster-scoped resource is ignored.
    public func collection(namespace: String? = nil) -> String {
        if namespaced, let namespace {
            return "\(groupVersionPrefix)/namespaces/\(PathEscaping.segment(namespace))/\(plural)"
        }
        return "\(groupVersionPrefix)/\(plural)"
    }

    /// The path of one object. Namespaced resources need a namespace (an empty path segment results otherwise,
    /// which the server rejects).
    public func object(_ name: String, namespace: String? = nil) -> String {
        if namespaced {
            return "\(groupVersionPrefix)/namespaces/\(PathEscaping.segment(namespace ?? ""))/\(plural)/\(PathEscaping.segment(name))"
        }
        return "\(groupVersionPrefix)/\(plural)/\(PathEscaping.segment(name))"
    }

    public var description: String { group.isEmpty ? "\(plural) (\(version))" : "\(plural).\(group) (\(version))" }
}

extension ResourcePath {
    public static let namespaces = ResourcePath(group: "", version: "v1", plural: "namespaces", namespaced: false)
    public static let nodes = ResourcePath(group: "", version: "v1", plural: "nodes", namespaced: false)
    public static let pods = ResourcePath(group: "", version: "v1", plural: "pods", namespaced: true)
    public static let services = ResourcePath(group: "", version: "v1", plural: "services", namespaced: true)
    public static let endpoints = ResourcePath(group: "", version: "v1", plural: "endpoints", namespaced: true)
    public static let events = ResourcePath(group: "", version: "v1", plural: "events", namespaced: true)
    public static let configmaps = ResourcePath(group: "", version: "v1", plural: "configmaps", namespaced: true)
    public static let secrets = ResourcePath(group: "", version: "v1", plural: "secrets", namespaced: true)
    public static let serviceaccounts = ResourcePath(group: "", version: "v1", plural: "serviceaccounts", namespaced: true)
    public static let deployments = ResourcePath(group: "apps", version: "v1", plural: "deployments", namespaced: true)
    public static let replicasets = ResourcePath(group: "apps", version: "v1", plural: "replicasets", namespaced: true)
    public static let statefulsets = ResourcePath(group: "apps", version: "v1", plural: "statefulsets", namespaced: true)
    public static let daemonsets = ResourcePath(group: "apps", version: "v1", plural: "daemonsets", namespaced: true)
    public static let replicationcontrollers = ResourcePath(group: "", version: "v1", plural: "replicationcontrollers",
                                                             namespaced: true)
    public static let controllerrevisions = ResourcePath(group: "apps", version: "v1", plural: "controllerrevisions",
                                                          namespaced: true)
    public static let endpointslices = ResourcePath(group: "discovery.k8s.io", version: "v1", plural: "endpointslices",
                                                     namespaced: true)
    public static let leases = ResourcePath(group: "coordination.k8s.io", version: "v1", plural: "leases", namespaced: true)
}

/// A kind whose served resource is known, so typed calls need not name a `ResourcePath`.
public protocol ServedKind: KubernetesObject {
    static var resourcePath: ResourcePath { get }
}

extension Pod: ServedKind { public static var resourcePath: ResourcePath { .pods } }
extension ConfigMap: ServedKind { public static var resourcePath: ResourcePath { .configmaps } }
extension Namespace: ServedKind { public static var resourcePath: ResourcePath { .namespaces } }
extension Deployment: ServedKind { public static var resourcePath: ResourcePath { .deployments } }
extension Service: ServedKind { public static var resourcePath: ResourcePath { .services } }
extension Secret: ServedKind { public static var resourcePath: ResourcePath { .secrets } }
extension Node: ServedKind { public static var resourcePath: ResourcePath { .nodes } }
extension Event: ServedKind { public static var resourcePath: ResourcePath { .events } }
extension Lease: ServedKind { public static var resourcePath: ResourcePath { .leases } }
extension ReplicaSet: ServedKind { public static var resourcePath: ResourcePath { .replicasets } }
extension StatefulSet: ServedKind { public static var resourcePath: ResourcePath { .statefulsets } }
extension DaemonSet: ServedKind { public static var resourcePath: ResourcePath { .daemonsets } }
extension ReplicationController: ServedKind { public static var resourcePath: ResourcePath { .replicationcontrollers } }
extension Endpoints: ServedKind { public static var resourcePath: ResourcePath { .endpoints } }
extension EndpointSlice: ServedKind { public static var resourcePath: ResourcePath { .endpointslices } }
extension ServiceAccount: ServedKind { public static var resourcePath: ResourcePath { .serviceaccounts } }

/// Percent-encoding for URL path segments and query values.
enum PathEscaping {
    private static let unreserved: Set<UInt8> = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8))

    /// `text` with every byte outside the unreserved set percent-encoded.
    static func segment(_ text: String) -> String {
        if text.utf8.allSatisfy(unreserved.contains) { return text }
        var out = ""
        for byte in text.utf8 {
            if unreserved.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0xF)])
            }
        }
        return out
    }

    /// `name=value&…` with both sides percent-encoded; nil values are left out.
    static func query(_ items: [(String, String?)]) -> String {
        items.compactMap { name, value in value.map { "\(segment(name))=\(segment($0))" } }.joined(separator: "&")
    }
}
