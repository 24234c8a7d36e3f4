/// One label of a pod in one namespace (`namespace`, `key=value`), the key of each node's
/// index of pod labels (``NodeInfo/podCount(withLabel:)``). The hash is computed once, so
/// index lookups in the per-cycle loops over nodes hash a single integer.
public struct LabelIndexKey: Hashable, Sendable {
    public let namespace: String
    public let key: String
    public let value: String
    private let precomputedHash: Int

    public init(namespace: String, key: String, value: String) {
        self.namespace = namespace
        self.key = key
        self.value = value
        var hasher = Hasher()
        hasher.combine(namespace)
        hasher.combine(key)
        hasher.combine(value)
        precomputedHash = hasher.finalize()
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(precomputedHash)
    }

    public static func == (lhs: LabelIndexKey, rhs: LabelIndexKey) -> Bool {
        lhs.precomputedHash == rhs.precomputedHash && lhs.key == rhs.key && lhs.value == rhs.value
            && lhs.namespace == rhs.namespace
    }
}
