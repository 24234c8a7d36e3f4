import Foundation

/// The network namespace that plays the node: where the bridge, routes, nftables rules and the host ends of the
/// pods' veths live, and where CNI plugins, `ip` and `nft` run.
///
/// In production it is the agent's own namespace (`path == nil`: commands run as they are). Tests give the path
/// of a namespace of their own (`ip netns add skiff-test-node-…`), so that no host-side change ever reaches the
/// machine's root namespace: every command then runs through `nsenter --net=<path>`.
public struct NodeNamespace: Hashable, Sendable {
    public var path: String?

    public init(path: String? = nil) {
        self.path = path
    }

    /// The agent's own network namespace.
    public static let current = NodeNamespace()

    /// `arguments`, wrapped to run inside this namespace.
    package func command(_ arguments: [String]) -> [String] {
        guard let path else { return arguments }
        return ["nsenter", "--net=\(path)", "--"] + arguments
    }

    /// Runs `arguments` inside this namespace; throws `.command` with its message when it fails.
    @discardableResult
    package func run(_ arguments: [String], input: String = "") async throws(PodNetworkError) -> CommandOutput {
        let output = try await CommandRunner.run(command(arguments), input: Data(input.utf8))
        guard output.succeeded else { throw .command(arguments, output.message) }
        return output
    }
}
