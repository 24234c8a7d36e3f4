/// The number of non-terminating pods of each spreading owner per zone
/// (`topology.kubernetes.io/zone` value), over the known nodes that carry a zone label,
/// kept up to date by the cache so that default zone spreading needs no scan of the
/// nodes.
public struct ZoneSpreadCounts: Sendable {
    private var counts: [SpreadingOwner: [String: Int]] = [:]

    public init() {}

    /// The owner's pods in the zone.
    public func count(of owner: SpreadingOwner, inZone zone: String) -> Int {
        counts[owner]?[zone] ?? 0
    }

    /// Adds `delta` pods of the owner in the zone.
    mutating func adjust(_ owner: SpreadingOwner, zone: String, by delta: Int) {
        let updated = (counts[owner]?[zone] ?? 0) + delta
        if updated > 0 {
            counts[owner, default: [:]][zone] = updated
        } else {
            counts[owner]?[zone] = nil
            if counts[owner]?.isEmpty == true { counts[owner] = nil }
        }
    }

    /// Adds (`sign` 1) or removes (`sign` −1) all of a node's owned pods, if the node has a zone.
    mutating func apply(_ node: NodeInfo, sign: Int) {
        guard let zone = node.topologyValue(.zone) else { return }
        for (owner, count) in node.podCountBySpreadingOwner {
            adjust(owner, zone: zone, by: sign * count)
        }
    }
}
