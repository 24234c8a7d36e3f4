/// The addresses of one node's /24 pod CIDR handed to pods: .2 to .254 (.1 is the node's), lowest free first.
public struct PodIPPool: Sendable {
    private let prefix: String
    private var used: Set<Int> = []
    private var byPod: [String: Int] = [:]

    /// A pool for `cidr` of the form `a.b.c.0/24`.
    public init(cidr: String) {
        let network = cidr.split(separator: "/").first.map(String.init) ?? cidr
        prefix = network.split(separator: ".").prefix(3).joined(separator: ".")
    }

    /// The address of the pod with this uid, allocating one if it has none; nil when the range is exhausted.
    public mutating func address(for uid: String) -> String? {
        if let host = byPod[uid] { return "\(prefix).\(host)" }
        guard let host = (2...254).first(where: { !used.contains($0) }) else { return nil }
        used.insert(host)
        byPod[uid] = host
        return "\(prefix).\(host)"
    }

    /// Frees the pod's address.
    public mutating func release(_ uid: String) {
        if let host = byPod.removeValue(forKey: uid) { used.remove(host) }
    }

    public var count: Int { byPod.count }
}
