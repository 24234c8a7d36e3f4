import APIModel

/// The scheduler's view of the cluster: nodes with the pods assigned to them, updated
/// incrementally from watch events and from the scheduler's own decisions (Kubernetes'
/// scheduler cache and snapshot in one, since the scheduler here reads it synchronously
/// between updates).
///
/// Pod lifecycle in the cache:
/// - ``assume(_:onNode:)`` records a pod on the node the scheduler chose, before the
///   binding is confirmed, so that the next pods see its resources taken;
/// - ``forget(_:)`` undoes that when binding fails;
/// - ``addPod(_:)`` with the bound pod from the watch confirms an assumed pod (moving it
///   if it was bound elsewhere) or adds a pod the scheduler did not place;
/// - ``updatePod(_:)`` and ``removePod(_:)`` follow the watch. Pods in a terminal phase
///   (`Succeeded`, `Failed`) hold nothing and are removed, as kube-scheduler's pod
///   informer filters them out.
///
/// Nodes keep the order they were added in (``nodes``), which the algorithm samples
/// from a rotating start; deleting a node shifts the later ones.
///
/// A value type whose parts are copy-on-write: a copy is a consistent snapshot that costs
/// O(nodes) reference counts, and later updates to the original do not show in it.
public struct SchedulerCache: Sendable {
    /// The known nodes, in a stable order.
    public private(set) var nodes: [NodeInfo] = []
    private var indexByName: [String: Int] = [:]
    /// Entries for node names the cache has pods for but no node object (the pods arrived
    /// before their node, or the node was deleted before its pods).
    private var detachedNodes: [String: NodeInfo] = [:]
    private var placements: [PodKey: Placement] = [:]
    /// Nodes, and pods per spreading owner and per label, in each zone of the known nodes.
    public private(set) var zoneSpreadCounts = ZoneSpreadCounts()

    /// Where a pod is, and whether the scheduler assumed it there.
    private struct Placement: Sendable {
        var nodeName: String
        var isAssumed: Bool
    }

    /// What went wrong with a cache operation; each is a bug or race in the caller.
    public enum Failure: Error, Hashable, Sendable {
        /// The pod is already in the cache (assumed or bound).
        case podAlreadyPresent(PodKey)
    }

    public init() {}

    /// The number of nodes.
    public var nodeCount: Int { nodes.count }

    /// The number of pods (bound and assumed) on known and detached nodes.
    public var podCount: Int { placements.count }

    /// The entry of the node named `name`, if the node is known.
    public func nodeInfo(named name: String) -> NodeInfo? {
        indexByName[name].map { nodes[$0] }
    }

    /// The position of the node named `name` in ``nodes``, if the node is known.
    public func index(ofNode name: String) -> Int? {
        indexByName[name]
    }

    /// The node the pod is on in the cache, if any.
    public func nodeName(of key: PodKey) -> String? {
        placements[key]?.nodeName
    }

    /// Whether the pod is assumed (placed by the scheduler, binding not yet seen).
    public func isAssumed(_ key: PodKey) -> Bool {
        placements[key]?.isAssumed ?? false
    }

    // MARK: Nodes

    /// Adds a node, or updates it if known; pods that arrived before it are adopted.
    public mutating func addNode(_ node: Node) {
        let name = node.metadata?.name ?? ""
        if let index = indexByName[name] {
            zoneSpreadCounts.apply(nodes[index], sign: -1)
            nodes[index].setNode(node)
            zoneSpreadCounts.apply(nodes[index], sign: 1)
            return
        }
        var info = detachedNodes.removeValue(forKey: name) ?? NodeInfo(name: name)
        info.setNode(node)
        zoneSpreadCounts.apply(info, sign: 1)
        indexByName[name] = nodes.count
        nodes.append(info)
    }

    /// Updates a node (the same as ``addNode(_:)``).
    public mutating func updateNode(_ node: Node) {
        addNode(node)
    }

    /// Removes a node. Its pods stay accounted (detached) until they are removed, so that
    /// their deletions still balance, and are adopted again if the node comes back.
    public mutating func removeNode(named name: String) {
        guard let index = indexByName.removeValue(forKey: name) else { return }
        var info = nodes.remove(at: index)
        zoneSpreadCounts.apply(info, sign: -1)
        for later in index..<nodes.count { indexByName[nodes[later].name] = later }
        if !info.pods.isEmpty {
            info.clearNode()
            detachedNodes[name] = info
        }
    }

    // MARK: Pods

    /// Records that the scheduler placed `pod` on `nodeName`, before the binding is
    /// confirmed.
    ///
    /// - Throws: ``Failure/podAlreadyPresent(_:)`` if the pod is already in the cache.
    public mutating func assume(_ pod: Pod, onNode nodeName: String) throws(Failure) {
        try assume(AssignedPod(pod), onNode: nodeName)
    }

    /// Records that the scheduler placed the pod it just scheduled on `nodeName` (the
    /// same as assuming its `Pod`, without recomputing its requests).
    public mutating func assume(_ pod: PodToSchedule, onNode nodeName: String) throws(Failure) {
        try assume(AssignedPod(pod), onNode: nodeName)
    }

    private mutating func assume(_ pod: AssignedPod, onNode nodeName: String) throws(Failure) {
        guard placements[pod.key] == nil else { throw .podAlreadyPresent(pod.key) }
        place(pod, on: nodeName, assumed: true)
    }

    /// Undoes ``assume(_:onNode:)`` after a failed binding; does nothing if the pod is not
    /// assumed (its binding was already confirmed by the watch).
    public mutating func forget(_ key: PodKey) {
        guard let placement = placements[key], placement.isAssumed else { return }
        unplace(key, from: placement.nodeName)
    }

    /// Adds a pod seen by the watch. An assumed pod is confirmed: it is replaced by this
    /// version, on the node it was bound to. A pod in a terminal phase is removed. A pod
    /// without `spec.nodeName` is not assigned and is ignored (if the scheduler assumed it,
    /// it stays assumed until its binding shows up or it is forgotten).
    public mutating func addPod(_ pod: Pod) {
        let key = PodKey(pod)
        if Self.isTerminal(pod) {
            removePod(key)
            return
        }
        guard let nodeName = pod.spec?.nodeName, !nodeName.isEmpty else { return }
        if let placement = placements[key] { unplace(key, from: placement.nodeName) }
        place(AssignedPod(pod), on: nodeName, assumed: false)
    }

    /// Updates a pod seen by the watch (the same as ``addPod(_:)``).
    public mutating func updatePod(_ pod: Pod) {
        addPod(pod)
    }

    /// Removes a pod, assumed or bound.
    public mutating func removePod(_ key: PodKey) {
        guard let placement = placements[key] else { return }
        unplace(key, from: placement.nodeName)
    }

    private mutating func adjustZoneCount(of pod: AssignedPod, on node: NodeInfo, by delta: Int) {
        guard let zone = node.topologyValue(.zone) else { return }
        zoneSpreadCounts.adjust(for: pod, zone: zone, by: delta)
    }

    private static func isTerminal(_ pod: Pod) -> Bool {
        let phase = pod.status?.phase
        return phase == "Succeeded" || phase == "Failed"
    }

    private mutating func place(_ pod: AssignedPod, on nodeName: String, assumed: Bool) {
        placements[pod.key] = Placement(nodeName: nodeName, isAssumed: assumed)
        if let index = indexByName[nodeName] {
            nodes[index].add(pod)
            adjustZoneCount(of: pod, on: nodes[index], by: 1)
        } else {
            detachedNodes[nodeName, default: NodeInfo(name: nodeName)].add(pod)
        }
    }

    private mutating func unplace(_ key: PodKey, from nodeName: String) {
        placements[key] = nil
        if let index = indexByName[nodeName] {
            if let pod = nodes[index].remove(key) { adjustZoneCount(of: pod, on: nodes[index], by: -1) }
        } else if var detached = detachedNodes.removeValue(forKey: nodeName) {
            detached.remove(key)
            if !detached.pods.isEmpty { detachedNodes[nodeName] = detached }
        }
    }
}
