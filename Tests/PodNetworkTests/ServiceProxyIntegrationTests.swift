import Foundation
import Glibc
import Testing
@testable import PodNetwork
import ServiceProxy

/// The proxy's rules in a node of the test's own, with real pods on the bridge serving HTTP: a ClusterIP reaches
/// every endpoint from the node and from a pod (also the pod's own, through hairpin), a NodePort answers on
/// 127.0.0.1, and a Service without endpoints refuses at once. The host's namespace stays untouched.
@Suite(.serialized) struct ServiceProxyIntegrationTests {
    @Test func clusterIPsAndNodePortsReachThePods() async throws {
        let host = try await HostNetworkState.current()
        try await TestNode.with { node in
            let config = node.config()
            try await NetworkGuard(config).install()
            let manager = try PodNetworkManager(config: config)
            let a = try await manager.setUp(podID: "pod-a")
            let b = try await manager.setUp(podID: "pod-b")
            var servers: [Process] = []
            // busybox httpd ignores SIGTERM.
            defer { for server in servers { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() } }
            for (name, pod) in [("pod-a", a), ("pod-b", b)] {
                let root = node.directory + "/www-" + name
                try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
                try Data(name.utf8).write(to: URL(fileURLWithPath: root + "/index.html"))
                let server = Process()
                server.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
                server.arguments = ["--net=\(pod.netnsPath)", "--", "busybox", "httpd", "-f", "-p", "8080", "-h", root]
                try server.run()
                servers.append(server)
            }
            try await Task.sleep(for: .milliseconds(300))

            let web = ProxiedService(name: "ns/web", clusterIP: "10.43.0.50", port: 80, proto: "tcp", nodePort: 30080,
                                     affinitySeconds: nil,
                                     backends: [.init(ip: a.ip.description, port: 8080), .init(ip: b.ip.description, port: 8080)])
            let empty = ProxiedService(name: "ns/empty", clusterIP: "10.43.0.51", port: 80, proto: "tcp", nodePort: nil,
                                       affinitySeconds: nil, backends: [])
            let rules = ServiceProxyRules(services: [web, empty], tableName: "skiff_proxy")
            let install = try await CommandRunner.run(node.node.command(["nft", "-f", "-"]), input: Data(rules.script().utf8))
            #expect(install.succeeded, "\(install.message)")
            _ = try await node.run(["sysctl", "-q", "-w", "net.ipv4.conf.all.route_localnet=1"])
            _ = try await node.run(["ip", "link", "set", "lo", "up"])

            func fetch(_ url: String, from netns: String? = nil) async throws -> String {
                // (busybox 1.35 wget crashes with -T: bound it with timeout instead.)
                let command = ["timeout", "-s", "KILL", "3", "busybox", "wget", "-q", "-O", "-", url]
                let output = if let netns { try await node.run(in: netns, command) } else { try await node.run(command) }
                return output.succeeded ? output.text : "failed (\(output.exitCode)): \(output.message)"
            }
            #expect(try await fetch("http://\(a.ip):8080/") == "pod-a", "the pod itself answers")
            var fromNode = Set<String>(), fromPod = Set<String>()
            for _ in 0..<24 {
                fromNode.insert(try await fetch("http://10.43.0.50/"))
                fromPod.insert(try await fetch("http://10.43.0.50/", from: a.netnsPath))
            }
            #expect(fromNode == ["pod-a", "pod-b"])
            #expect(fromPod == ["pod-a", "pod-b"], "hairpin included")
            #expect(try await fetch("http://127.0.0.1:30080/") != "", "node port on loopback")
            #expect(["pod-a", "pod-b"].contains(try await fetch("http://127.0.0.1:30080/")))
            let started = ContinuousClock.now
            let refused = try await fetch("http://10.43.0.51/")
            #expect(refused.contains("Connection refused"), "\(refused)")
            #expect(ContinuousClock.now - started < .seconds(2), "refused at once, not timed out")
            _ = try await CommandRunner.run(node.node.command(["nft", "-f", "-"]), input: Data(rules.removalScript().utf8))
            try await manager.tearDown(podID: "pod-a")
            try await manager.tearDown(podID: "pod-b")
        }
        #expect(try await HostNetworkState.current() == host)
    }
}
