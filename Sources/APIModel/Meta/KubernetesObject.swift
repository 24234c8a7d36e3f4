import Foundation

/// A group, version and kind, e.g. `apps/v1 Deployment`. The core group is the empty string.
public struct GroupVersionKind: Hashable, Sendable, CustomStringConvertible {
    public var group: String
    public var version: String
    public var kind: String

    public init(group: String, version: String, kind: String) {
        self.group = group
        self.version = version
        self.kind = kind
    }

    /// `v1` for the core group, `group/version` otherwise — the value of an object's `apiVersion`.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    public var description: String { "\(apiVersion), Kind=\(kind)" }
}

/// A top-level Kubernetes object: it has `kind`, `apiVersion` and `metadata`, and one group-version-kind.
public protocol KubernetesObject: Codable, Hashable, Sendable {
    static var groupVersionKind: GroupVersionKind { get }
    var apiVersion: String? { get set }
    var kind: String? { get set }
    var metadata: ObjectMeta? { get set }
}

/// A list of Kubernetes objects (`PodList`, …).
public protocol KubernetesList: Codable, Hashable, Sendable {
    associatedtype Item: Codable & Hashable & Sendable
    static var groupVersionKind: GroupVersionKind { get }
    var apiVersion: String? { get set }
    var kind: String? { get set }
    var metadata: ListMeta? { get set }
    var items: [Item]? { get set }
}

extension KubernetesObject {
    /// Sets `apiVersion` and `kind` to this type's own.
    public mutating func setTypeMeta() {
        apiVersion = Self.groupVersionKind.apiVersion
        kind = Self.groupVersionKind.kind
    }

    /// `metadata`, created empty when absent.
    public var meta: ObjectMeta {
        get { metadata ?? ObjectMeta() }
        set { metadata = newValue }
    }
}

/// Coding keys of a type with no properties.
package enum EmptyCodingKeys: CodingKey {
    package var stringValue: String { "" }
    package var intValue: Int? { nil }
    package init?(stringValue: String) { nil }
    package init?(intValue: Int) { nil }
}
