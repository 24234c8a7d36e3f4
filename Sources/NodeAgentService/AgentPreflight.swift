import ContainerRuntime
import Foundation
import Glibc

/// The checks an agent makes before it touches anything, with the messages users see.
public enum AgentPreflight {
    /// A reason the agent cannot start; its description is the message users see.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// Throws unless this process is root and an OCI runtime is installed; returns the runtime.
    /// `disableHint` is appended to the messages (e.g. how to run a server without its agent).
    public static func check(disableHint: String = "", proxyMode: ProxyMode = .nftables) throws(Failure) -> RuntimeBinary {
        guard getuid() == 0 else {
            throw Failure(description: "the node agent must run as root (it creates containers, mounts and network namespaces)" + disableHint)
        }
        guard let binary = RuntimeBinary.detect() else {
            throw Failure(description: "no OCI runtime found: install runc or crun (looked in $PATH and the sbin directories)" + disableHint)
        }
        // The network guard (DESIGN.md §5) is nftables rules, installed before any pod or Service exists: without
        // nft there is no guard, so no pods and no service proxy either.
        let tools = proxyMode == .nftables ? [("nft", "nftables"), ("ip", "iproute2")] : [("ip", "iproute2")]
        for (tool, package) in tools where !installed(tool) {
            throw Failure(description: "\(tool) not found: install \(package) (the node's network guard and pod network need it)"
                + disableHint)
        }
        return binary
    }

    /// Whether `tool` is an executable in $PATH or the sbin directories.
    static func installed(_ tool: String) -> Bool {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        return (path + ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]).contains { access($0 + "/" + tool, X_OK) == 0 }
    }
}
