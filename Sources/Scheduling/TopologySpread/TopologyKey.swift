/// A topology key of a spread constraint, with the two well-known keys recognized once so
/// that reading a node's domain for them costs no hashing (see
/// ``NodeInfo/topologyValue(_:)``).
public enum TopologyKey: Hashable, Sendable, CustomStringConvertible {
    /// `kubernetes.io/hostname`: each node is its own domain.
    case hostname
    /// `topology.kubernetes.io/zone`.
    case zone
    /// Any other node label key.
    case label(String)

    public static let hostnameLabel = "kubernetes.io/hostname"
    public static let zoneLabel = "topology.kubernetes.io/zone"

    public init(_ key: String) {
        switch key {
        case Self.hostnameLabel: self = .hostname
        case Self.zoneLabel: self = .zone
        default: self = .label(key)
        }
    }

    /// The label key.
    public var description: String {
        switch self {
        case .hostname: Self.hostnameLabel
        case .zone: Self.zoneLabel
        case .label(let key): key
        }
    }
}
