import APIModel

/// How objects are keyed in caches and work queues: `namespace/name`, or `name` for cluster-scoped objects,
/// as client-go's `MetaNamespaceKeyFunc`.
public struct ObjectKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var namespace: String?
    public var name: String

    public init(namespace: String?, name: String) {
        self.namespace = (namespace?.isEmpty ?? true) ? nil : namespace
        self.name = name
    }

    public init(_ object: some KubernetesObject) {
        self.init(namespace: object.metadata?.namespace, name: object.metadata?.name ?? "")
    }

    public var description: String { namespace.map { "\($0)/\(name)" } ?? name }

    public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool { lhs.description < rhs.description }
}
