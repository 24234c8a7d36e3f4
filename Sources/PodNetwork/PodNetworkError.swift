/// Why pod networking failed. Every case carries the words of the tool that refused.
public enum PodNetworkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A command could not be started, or failed (`arguments`, then its message).
    case command([String], String)
    /// A CNI plugin reported an error (CNI's `code` and `msg`, plus `details` when given).
    case plugin(plugin: String, command: String, code: Int, message: String)
    /// A plugin's result or a value in the configuration could not be understood.
    case invalid(String)

    public var description: String {
        switch self {
        case .command(let arguments, let message):
            "\(arguments.joined(separator: " ")) failed: \(message)"
        case .plugin(let plugin, let command, let code, let message):
            "CNI plugin \(plugin) \(command) failed (code \(code)): \(message)"
        case .invalid(let message):
            message
        }
    }
}
