import Foundation

/// Calls CNI plugins directly, as the CNI 1.0.0 spec has runtimes do: the command and the container in
/// `CNI_*` environment variables, the network config on standard input, the result (or an error object) on
/// standard output. Plugins run inside the node's namespace (`PodNetworkConfig.node`).
struct CNIPlugin: Sendable {
    enum Command: String, Sendable {
        case add = "ADD", del = "DEL"
    }

    /// The plugin's type, its binary's name in `directory`.
    var type: String
    var directory: String
    var node: NodeNamespace

    /// Runs the plugin and returns its standard output. `netns` may be empty for DEL (the namespace is gone).
    /// Throws `.plugin` with the plugin's own code and message when it fails.
    @discardableResult
    func run(_ command: Command, containerID: String, netns: String, interface: String,
             config: Data) async throws(PodNetworkError) -> Data {
        var environment = ProcessInfo.processInfo.environment
        environment["CNI_COMMAND"] = command.rawValue
        environment["CNI_CONTAINERID"] = containerID
        environment["CNI_NETNS"] = netns
        environment["CNI_IFNAME"] = interface
        environment["CNI_PATH"] = directory
        let output = try await CommandRunner.run(node.command([directory + "/" + type]), environment: environment,
                                                 input: config)
        guard output.succeeded else {
            let error = try? JSONDecoder().decode(CNIErrorResult.self, from: output.stdout)
            let message = error.map { [$0.msg, $0.details].compactMap { $0 }.joined(separator: ": ") }
            throw .plugin(plugin: type, command: command.rawValue, code: error?.code ?? Int(output.exitCode),
                          message: message ?? output.message)
        }
        return output.stdout
    }
}
