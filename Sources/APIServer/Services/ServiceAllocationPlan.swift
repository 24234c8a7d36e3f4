import APIModel

/// What one Service write asks of the allocators, computed from the new spec and the stored one (pure).
///
/// - A Service of type ClusterIP, NodePort or LoadBalancer holds a cluster IP unless `clusterIP` is `None`
///   (headless); ExternalName holds none. An empty `clusterIP` is allocated; one the stored object did not
///   hold is reserved as requested.
/// - NodePort and LoadBalancer Services (the latter unless `allocateLoadBalancerNodePorts` is false) hold a
///   node port per port: 0 is allocated, a value the stored object did not hold is reserved as requested.
///   One port number may serve several ports of the same Service (TCP and UDP alike, as Kubernetes allows).
/// - What the stored object held and the new one does not is released once the write succeeded.
struct ServiceAllocationPlan: Equatable {
    /// Whether a cluster IP must be chosen.
    var allocateIP = false
    /// A cluster IP asked for that the stored object did not hold.
    var requestedIP: String?
    /// Indexes of `spec.ports` whose node port must be chosen.
    var allocateNodePorts: [Int] = []
    /// A node port asked for that the stored object did not hold, with the index of its first port.
    struct RequestedNodePort: Equatable {
        var index: Int
        var port: Int32
    }

    var requestedNodePorts: [RequestedNodePort] = []
    /// Held by the stored object, not by the new one.
    var releasedIPs: [String] = []
    var releasedNodePorts: [Int32] = []

    var isEmpty: Bool {
        !allocateIP && requestedIP == nil && allocateNodePorts.isEmpty && requestedNodePorts.isEmpty
            && releasedIPs.isEmpty && releasedNodePorts.isEmpty
    }

    init() {}

    init(new: ServiceSpec, old: ServiceSpec?) {
        let oldIPs = old.map(Self.heldIPs) ?? []
        let oldPorts = old.map(Self.heldNodePorts) ?? []
        if Self.holdsClusterIP(new) {
            let ip = new.clusterIP ?? ""
            if ip.isEmpty { allocateIP = true } else if !oldIPs.contains(ip) { requestedIP = ip }
        }
        var newPorts = Set<Int32>()
        if Self.holdsNodePorts(new) {
            for (index, port) in (new.ports ?? []).enumerated() {
                let number = port.nodePort ?? 0
                if number == 0 { allocateNodePorts.append(index); continue }
                if !oldPorts.contains(number) && !newPorts.contains(number) {
                    requestedNodePorts.append(RequestedNodePort(index: index, port: number))
                }
                newPorts.insert(number)
            }
        }
        let newIPs = Self.holdsClusterIP(new) ? Set(new.clusterIP.map { [$0] } ?? []) : []
        releasedIPs = oldIPs.filter { !newIPs.contains($0) }.sorted()
        releasedNodePorts = oldPorts.filter { !newPorts.contains($0) }.sorted()
    }

    static func holdsClusterIP(_ spec: ServiceSpec) -> Bool {
        (spec.type ?? "ClusterIP") != "ExternalName" && spec.clusterIP != "None"
    }

    static func holdsNodePorts(_ spec: ServiceSpec) -> Bool {
        switch spec.type ?? "ClusterIP" {
        case "NodePort": return true
        case "LoadBalancer": return spec.allocateLoadBalancerNodePorts ?? true
        default: return false
        }
    }

    /// The cluster IPs a stored spec holds.
    static func heldIPs(_ spec: ServiceSpec) -> Set<String> {
        guard holdsClusterIP(spec), let ip = spec.clusterIP, !ip.isEmpty else { return [] }
        return [ip]
    }

    /// The node ports a stored spec holds.
    static func heldNodePorts(_ spec: ServiceSpec) -> Set<Int32> {
        Set((spec.ports ?? []).compactMap { $0.nodePort }.filter { $0 != 0 })
    }
}
