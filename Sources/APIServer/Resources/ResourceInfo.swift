import APIModel

/// How a resource is addressed and described in discovery: everything about it that does not depend on its
/// Swift type.
public struct ResourceInfo: Sendable, Hashable {
    /// API group; "" is the core group (`/api/v1`).
    public var group: String
    public var version: String
    /// Plural lower-case name used in paths (`pods`).
    public var plural: String
    public var singular: String
    public var kind: String
    public var namespaced: Bool
    public var shortNames: [String]
    public var categories: [String]
    /// Subresources served besides the object itself, e.g. `status`, `scale`.
    public var subresources: [Subresource]
    /// The OpenAPI definition name of the kind, e.g. `io.k8s.api.core.v1.Pod`.
    public var definition: String
    /// Whether `metadata.generation` is maintained (bumped by changes outside metadata and status).
    public var tracksGeneration: Bool
    /// Whether a PUT of an absent object creates it (Kubernetes allows this for a few types, e.g. Endpoints).
    public var allowCreateOnUpdate: Bool
    /// Whether `metadata.name` is validated as a DNS-1123 label (true) or subdomain (false), or DNS-1035
    /// label for Services.
    public var nameRule: NameRule
    /// A review: only `create` is served, and nothing is stored (e.g. SelfSubjectAccessReview).
    public var createOnly: Bool = false

    public enum NameRule: Sendable, Hashable {
        case dns1123Subdomain
        case dns1123Label
        case dns1035Label
        /// Path-segment names only (no `/`, `%`, not `.` or `..`), e.g. for events.
        case pathSegment
    }

    public enum Subresource: String, Sendable, Hashable {
        case status
        case scale
        /// `pods/binding`: POST a `Binding` to assign a pod to a node (what the scheduler does).
        case binding
        /// `pods/eviction`: POST a `policy/v1 Eviction` to delete a pod subject to disruption policy.
        case eviction
        /// `pods/log`: the container's log, streamed from its node.
        case log
        /// `pods/exec`: a command in a container, over WebSocket to its node.
        case exec
        /// `pods/portforward`: connections to the pod's ports, over SPDY (or WebSocket) to its node.
        case portforward

        /// Whether the subresource only accepts POST (an action on the object, not a view of it).
        public var isAction: Bool { self == .binding || self == .eviction }

        /// Whether the subresource is proxied to the pod's node (`PodStreams`), not served from storage.
        public var isStreaming: Bool { self == .log || self == .exec }
    }

    public init(group: String, version: String, plural: String, singular: String, kind: String, namespaced: Bool,
                shortNames: [String] = [], categories: [String] = [], subresources: [Subresource] = [],
                definition: String, tracksGeneration: Bool = false, allowCreateOnUpdate: Bool = false,
                nameRule: NameRule = .dns1123Subdomain) {
        self.group = group
        self.version = version
        self.plural = plural
        self.singular = singular
        self.kind = kind
        self.namespaced = namespaced
        self.shortNames = shortNames
        self.categories = categories
        self.subresources = subresources
        self.definition = definition
        self.tracksGeneration = tracksGeneration
        self.allowCreateOnUpdate = allowCreateOnUpdate
        self.nameRule = nameRule
    }

    /// `v1` or `group/version`.
    public var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    public var groupVersionKind: GroupVersionKind { GroupVersionKind(group: group, version: version, kind: kind) }

    /// `pods` or `deployments.apps`: how Kubernetes names the resource in messages.
    public var qualifiedName: String { group.isEmpty ? plural : "\(plural).\(group)" }

    /// The store prefix of every object of this resource, ending in `/`.
    public var keyPrefix: String { "/registry/" + (group.isEmpty ? "" : group + "/") + plural + "/" }

    /// The store prefix of the objects in one namespace (or of all, for cluster-scoped resources).
    public func keyPrefix(namespace: String?) -> String {
        guard namespaced, let namespace else { return keyPrefix }
        return keyPrefix + namespace + "/"
    }

    /// The store key of one object.
    public func key(namespace: String?, name: String) -> String {
        namespaced ? keyPrefix + (namespace ?? "") + "/" + name : keyPrefix + name
    }

    /// Whether an immediate DELETE answers with the deleted object (as Kubernetes does for these core kinds)
    /// rather than a `Status`. The Python client depends on it for pods.
    public var returnsDeletedObject: Bool {
        group.isEmpty && ["Pod", "Service", "ServiceAccount", "PersistentVolumeClaim", "PodTemplate"].contains(kind)
    }

    /// Core `namespaces`, whose deletion empties them first and which cannot be deleted as a collection.
    public var isNamespace: Bool { group.isEmpty && plural == "namespaces" }

    public var hasStatus: Bool { subresources.contains(.status) }
    public var hasScale: Bool { subresources.contains(.scale) }
}
