/// Why one filter plugin rejected one node: the plugin and Kubernetes' reason strings
/// (a plugin may give several, such as `Insufficient cpu` and `Insufficient memory`).
public struct FilterRejection: Hashable, Sendable {
    public var plugin: PluginName
    public var reasons: [String]

    public init(plugin: PluginName, reasons: [String]) {
        self.plugin = plugin
        self.reasons = reasons
    }

    public init(plugin: PluginName, reason: String) {
        self.init(plugin: plugin, reasons: [reason])
    }
}
