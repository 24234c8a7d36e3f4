import APIModel

/// A pod's identity in the scheduler: namespace and name (`namespace/name`, Kubernetes'
/// `MetaNamespaceKeyFunc`). A pod with no namespace is in `default`.
public struct PodKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var namespace: String
    public var name: String

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// The key of a pod object.
    public init(_ pod: Pod) {
        let namespace = pod.metadata?.namespace ?? ""
        self.init(namespace: namespace.isEmpty ? "default" : namespace, name: pod.metadata?.name ?? "")
    }

    public var description: String { namespace + "/" + name }

    public static func < (lhs: PodKey, rhs: PodKey) -> Bool {
        (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name)
    }
}
