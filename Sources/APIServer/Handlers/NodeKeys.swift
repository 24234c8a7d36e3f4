/// Where nodes are stored, for handlers that check whether a node is registered.
enum NodeKeys {
    static let prefix = "/registry/nodes/"

    static func key(_ name: String) -> String { prefix + name }
}
