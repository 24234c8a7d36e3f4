import Foundation
import Testing
@testable import PodNetwork
import ServiceProxy

/// In-place updates of the proxy's table, applied by the real `nft` in a test node, leave exactly the table a
/// fresh full install of the same rules makes (compared through `nft -j`, handles left out).
@Suite(.serialized) struct ServiceProxyUpdateIntegrationTests {
    static func service(_ name: String, _ ip: String, _ backends: [String], nodePort: Int32? = nil,
                        affinity: Int32? = nil) -> ProxiedService {
        ProxiedService(name: name, clusterIP: ip, port: 80, proto: "tcp", nodePort: nodePort, affinitySeconds: affinity,
                       backends: backends.map { .init(ip: $0, port: 8080) })
    }

    @Test func updatesMatchAFreshInstall() async throws {
        try await TestNode.with { node in
            let states: [[ProxiedService]] = [
                [Self.service("ns/a", "10.43.0.10", ["10.42.0.2", "10.42.0.3"]),
                 Self.service("ns/b", "10.43.0.11", ["10.42.0.4"], nodePort: 30011),
                 Self.service("ns/c", "10.43.0.12", [])],
                [Self.service("ns/a", "10.43.0.10", ["10.42.0.3"]),
                 Self.service("ns/b", "10.43.0.11", ["10.42.0.4", "10.42.0.5"], nodePort: 30011),
                 Self.service("ns/c", "10.43.0.12", [])],
                [Self.service("ns/a", "10.43.0.10", []),
                 Self.service("ns/b", "10.43.0.11", ["10.42.0.4", "10.42.0.5"], nodePort: 30011),
                 Self.service("ns/c", "10.43.0.12", ["10.42.0.6", "10.42.0.7"], affinity: 60)],
                [Self.service("ns/a", "10.43.0.10", []),
                 Self.service("ns/c", "10.43.0.12", ["10.42.0.7"]),
                 Self.service("ns/d", "10.43.0.13", ["10.42.0.8"], nodePort: 30013)],
                [],
            ]
            var installed = ServiceProxyRules(services: states[0], tableName: "skiff_proxy")
            try await nft(node, installed.script())
            for state in states.dropFirst() {
                let next = ServiceProxyRules(services: state, tableName: "skiff_proxy")
                let update = ServiceProxyUpdate(from: installed, to: next).script()
                try await nft(node, update)
                installed = next
                let reference = ServiceProxyRules(services: state, tableName: "skiff_proxy_reference")
                try await nft(node, reference.script())
                let (updated, fresh) = (try await normalized(node, "skiff_proxy"), try await normalized(node, "skiff_proxy_reference"))
                #expect(updated.count >= 12 + state.count, "the listing was read")
                #expect(updated == fresh, "after \(state.map(\.name)):\n\(update)")
            }
        }
    }

    private func nft(_ node: TestNode, _ script: String) async throws {
        let output = try await CommandRunner.run(node.node.command(["nft", "-f", "-"]), input: Data(script.utf8))
        #expect(output.succeeded, "\(output.message)\n\(script)")
        if !output.succeeded { throw PodNetworkError.command(["nft", "-f", "-"], output.message) }
    }

    /// The table as sorted lines of canonical JSON: chains, sets and maps (elements sorted), and each chain's
    /// rules in order, without handles or the table's name.
    private func normalized(_ node: TestNode, _ table: String) async throws -> [String] {
        let listing = try await node.run(["nft", "-j", "list", "table", "ip", table]).stdout
        let root = try #require(try JSONSerialization.jsonObject(with: listing) as? [String: Any])
        var lines: [String] = []
        var ruleIndex: [String: Int] = [:]
        for item in root["nftables"] as? [[String: Any]] ?? [] {
            guard let (kind, value) = item.first, var object = value as? [String: Any] else { continue }
            object["handle"] = nil
            object["table"] = nil
            if kind == "metainfo" || kind == "table" { continue }
            if let elements = object["elem"] as? [Any] {
                object["elem"] = elements.map(canonical).sorted()
            }
            if kind == "rule", let chain = object["chain"] as? String {
                let index = ruleIndex[chain, default: 0]
                ruleIndex[chain] = index + 1
                lines.append("rule \(chain) #\(index) \(canonical(object))")
            } else {
                lines.append("\(kind) \(canonical(object))")
            }
        }
        return lines.sorted()
    }

    private func canonical(_ value: Any) -> String {
        guard JSONSerialization.isValidJSONObject([value]),
              let data = try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys]) else { return "\(value)" }
        return String(decoding: data, as: UTF8.self)
    }
}
