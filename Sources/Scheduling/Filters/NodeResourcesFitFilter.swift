/// Kubernetes' NodeResourcesFit filter: the node must have room for one more pod, and
/// allocatable minus requested must cover each resource the pod requests. All the
/// shortfalls are reported, in Kubernetes' order: `Too many pods`, `Insufficient cpu`,
/// `Insufficient memory`, `Insufficient ephemeral-storage`, then `Insufficient <name>` for
/// scalar resources (sorted by name here; Go's map order is random).
public enum NodeResourcesFitFilter {
    public static let tooManyPods = "Too many pods"

    /// The reason for a resource the node lacks.
    public static func insufficient(_ resource: String) -> String { "Insufficient " + resource }

    public static func filter(_ pod: PodToSchedule, on node: NodeInfo) -> FilterRejection? {
        let reasons = shortfalls(of: pod.requests.requests, on: node)
        return reasons.isEmpty ? nil : FilterRejection(plugin: .nodeResourcesFit, reasons: reasons)
    }

    /// The reasons `request` does not fit on the node (empty if it fits).
    public static func shortfalls(of request: ResourceAmounts, on node: NodeInfo) -> [String] {
        var reasons: [String] = []
        if node.podCount + 1 > node.allocatable.allowedPodCount { reasons.append(tooManyPods) }
        if request.isZero { return reasons }
        let free = node.allocatable.resources
        let used = node.requested
        if request.milliCPU > 0 && request.milliCPU > free.milliCPU - used.milliCPU {
            reasons.append(insufficient(ResourceName.cpu))
        }
        if request.memory > 0 && request.memory > free.memory - used.memory {
            reasons.append(insufficient(ResourceName.memory))
        }
        if request.ephemeralStorage > 0 && request.ephemeralStorage > free.ephemeralStorage - used.ephemeralStorage {
            reasons.append(insufficient(ResourceName.ephemeralStorage))
        }
        if !request.scalar.isEmpty {
            for name in request.scalar.keys.sorted() {
                let amount = request.scalar[name] ?? 0
                if amount > 0 && amount > (free.scalar[name] ?? 0) - (used.scalar[name] ?? 0) {
                    reasons.append(insufficient(name))
                }
            }
        }
        return reasons
    }
}
