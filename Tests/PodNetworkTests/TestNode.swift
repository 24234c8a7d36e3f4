import APIModel
import Foundation
import Glibc
import Testing
@testable import PodNetwork

/// A "node" of its own for one test: a network namespace `skiff-test-node-<random>` (only a down `lo`, no route
/// anywhere) in which every host-side change is made — the bridge, routes, nftables, the plugins' sysctls — and a
/// scratch directory for IPAM leases and pod namespaces. `cleanUp()` removes exactly what the test made.
final class TestNode: Sendable {
    let name: String
    let directory: String
    let node: NodeNamespace

    /// Runs `body` with a fresh node and removes the node afterwards, also when `body` throws. Without root, it
    /// records an issue instead (these tests must fail, not skip, where they cannot run; CI runs them as root).
    static func with(_ body: (TestNode) async throws -> Void) async throws {
        guard getuid() == 0 else {
            Issue.record("pod network tests need root (CI runs them as root)")
            return
        }
        let node = try await TestNode()
        do {
            try await body(node)
        } catch {
            await node.cleanUp()
            throw error
        }
        await node.cleanUp()
    }

    private init() async throws {
        let suffix = String(UUID().uuidString.prefix(8)).lowercased()
        name = "skiff-test-node-" + suffix
        directory = NSTemporaryDirectory() + "skiff-test-net-" + suffix
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let added = try await CommandRunner.run(["ip", "netns", "add", name])
        guard added.succeeded else { throw PodNetworkError.command(["ip", "netns", "add", name], added.message) }
        node = NodeNamespace(path: "/var/run/netns/" + name)
    }

    /// A pod network on `podCIDR` whose plugins and host side live in this node.
    func config(podCIDR: String = "10.42.7.0/24") -> PodNetworkConfig {
        PodNetworkConfig(podCIDR: IPv4CIDR(podCIDR)!, ipamDataDirectory: directory + "/ipam",
                         netnsDirectory: directory + "/netns", node: node)
    }

    /// Runs a command inside the node; its output, whatever its exit code.
    func run(_ arguments: [String]) async throws -> CommandOutput {
        try await CommandRunner.run(node.command(arguments))
    }

    /// Runs a command inside the namespace at `netns` (a pod's).
    func run(in netns: String, _ arguments: [String]) async throws -> CommandOutput {
        try await CommandRunner.run(NodeNamespace(path: netns).command(arguments))
    }

    func cleanUp() async {
        let namespaces = PodNamespaces(directory: directory + "/netns")
        for pod in namespaces.names() {
            try? namespaces.remove(pod)
        }
        _ = try? await CommandRunner.run(["ip", "netns", "del", name])
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// What the tests must leave untouched in the host's (the test process's) network namespace.
struct HostNetworkState: Equatable {
    var nftTables: String
    var routes: String
    var hasBridge: Bool
    var ipForward: String

    static func current(bridge: String = "skiff0") async throws -> HostNetworkState {
        let tables = try await CommandRunner.run(["nft", "list", "tables"])
        let routes = try await CommandRunner.run(["ip", "-4", "route", "show", "table", "all"])
        let link = try await CommandRunner.run(["ip", "link", "show", "dev", bridge])
        return HostNetworkState(nftTables: String(decoding: tables.stdout, as: UTF8.self),
                                routes: String(decoding: routes.stdout, as: UTF8.self), hasBridge: link.succeeded,
                                ipForward: (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_forward",
                                                        encoding: .utf8)) ?? "")
    }
}

extension CommandOutput {
    var text: String { String(decoding: stdout, as: UTF8.self) }
}
