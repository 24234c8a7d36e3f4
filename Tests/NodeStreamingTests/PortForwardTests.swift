import Foundation
import Testing

extension StreamingEndToEnd {
    /// `pods/portforward` end to end: kubectl (SPDY tunnelled in a WebSocket by the versions that do so by
    /// default, plain SPDY for 1.27 and with `KUBECTL_PORT_FORWARD_WEBSOCKETS=false`) and the Python client's
    /// channel protocol → API server → node streaming server → an echo server on 127.0.0.1 (the fake
    /// backend's "pod").
    @Suite("pods/portforward through the node", .serialized)
    struct PortForwardTests {
        /// Sends `payload` to 127.0.0.1:`port`, half-closes, and returns all that comes back (python3 as the client).
        static func exchange(port: Int, payload: String) async throws -> ExternalCommand.Result {
            try await ExternalCommand.run("/usr/bin/env", ["python3", "-c", """
                import socket, sys
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
                data = sys.stdin.buffer.read()
                s.sendall(data)
                s.shutdown(socket.SHUT_WR)
                received = b""
                while True:
                    chunk = s.recv(65536)
                    if not chunk: break
                    received += chunk
                print(len(received), received == data, received[:40].decode(errors="replace"))
                """, String(port)], input: payload)
        }

        /// Runs `kubectl port-forward pod/web :<remote>` while `body` gets the local port.
        static func withPortForward(_ harness: StreamingHarness, remote: Int, version: String? = nil,
                                    environment: [String: String] = [:],
                                    _ body: (Int) async throws -> Void) async throws -> String {
            let forward = try KubectlProcess.start(harness, ["port-forward", "pod/web", ":\(remote)"], version: version,
                                                   environment: environment)
            defer { forward.stop() }
            let line = try await forward.waitForLine(containing: "Forwarding from 127.0.0.1:")
            let local = Int(line.split(separator: ":")[1].split(separator: " ")[0]) ?? 0
            try await body(local)
            return forward.output()
        }

        @Test(arguments: [(nil, [:]), ("1.27", [:]), ("1.30", [:]), ("1.33", [:]),
                          (nil, ["KUBECTL_PORT_FORWARD_WEBSOCKETS": "false"])] as [(String?, [String: String])])
        func kubectlForwardsConnections(version: String?, environment: [String: String]) async throws {
            if let version, !FileManager.default.isExecutableFile(atPath: KubectlInvocation.path(version: version)) { return }
            try await StreamingHarness.with { harness in
                let echo = try await EchoServer.start()
                let output = try await Self.withPortForward(harness, remote: echo.port, version: version,
                                                            environment: environment) { local in
                    let first = try await Self.exchange(port: local, payload: "hello through skiff")
                    #expect(first.stdout == "19 True hello through skiff\n", "\(first.stderr)")
                    // A second connection, large enough to need flow control (2 MiB each way).
                    let big = try await Self.exchange(port: local, payload: String(repeating: "0123456789abcdef", count: 131_072))
                    #expect(big.stdout.hasPrefix("2097152 True"), "\(big.stderr)")
                }
                #expect(output.contains("Handling connection for"), "\(output)")
                await echo.stop()
            }
        }

        /// A connection to a port nobody listens on: kubectl gets the kubelet's message on the error stream,
        /// prints it, and (1.27 and newer, as against a kubelet) then ends the port-forward: "lost connection".
        @Test(arguments: [nil, "1.27"] as [String?])
        func refusedPortIsReported(version: String?) async throws {
            try await StreamingHarness.with { harness in
                let closed = try await EchoServer.start()
                let closedPort = closed.port
                await closed.stop()
                let forward = try KubectlProcess.start(harness, ["port-forward", "pod/web", ":\(closedPort)"], version: version)
                defer { forward.stop() }
                let line = try await forward.waitForLine(containing: "Forwarding from 127.0.0.1:")
                _ = try await Self.exchange(port: Int(line.split(separator: ":")[1].split(separator: " ")[0]) ?? 0, payload: "x")
                _ = try await forward.waitForLine(containing: "lost connection to pod")
                #expect(forward.output().contains("error forwarding port \(closedPort) to pod web, uid fake-uid: "
                                                  + "dial tcp 127.0.0.1:\(closedPort): connect: connection refused"),
                        "\(forward.output())")
            }
        }

        @Test func pythonClientChannelProtocol() async throws {
            guard try await ExternalCommand.run("/usr/bin/env", ["python3", "-c", "import kubernetes"]).code == 0 else { return }
            try await StreamingHarness.with { harness in
                let closed = try await EchoServer.start()
                let closedPort = closed.port
                await closed.stop()
                let echo = try await EchoServer.start()
                let script = PythonClientTests.preamble + """
                import time
                from kubernetes.stream import portforward
                port, closed = int(sys.argv[4]), int(sys.argv[5])
                pf = portforward(api.connect_get_namespaced_pod_portforward, "web", "default", ports=f"{port},{closed}")
                s = pf.socket(port)
                s.setblocking(True)
                s.sendall(b"hello from python")
                print(s.recv(1024).decode())
                s.close()
                print("error:", pf.error(port))
                for _ in range(100):
                    if pf.error(closed): break
                    time.sleep(0.05)
                print("closed:", pf.error(closed))
                """
                let run = try await ExternalCommand.run("/usr/bin/timeout", ["30", "python3", "-c", script, harness.apiURL,
                                                                         StreamingHarness.token, harness.caCertificatePEM,
                                                                         String(echo.port), String(closedPort)])
                #expect(run.code == 0, "\(run.stderr)")
                #expect(run.stdout == "hello from python\nerror: None\nclosed: error forwarding port \(closedPort) to pod web, "
                                      + "uid fake-uid: dial tcp 127.0.0.1:\(closedPort): connect: connection refused\n")
                await echo.stop()
            }
        }

        @Test func invalidRequestsGetTheirStatus() async throws {
            try await StreamingHarness.with { harness in
                let base = "/api/v1/namespaces/default/pods"
                var (code, body) = try await harness.get("\(base)/pending/portforward")
                #expect(code == 400)
                #expect(body.contains("pod pending does not have a host assigned"))
                (code, body) = try await harness.get("\(base)/slow/portforward")
                #expect(code == 400)
                #expect(body.contains("unable to forward port because pod is not running. Current status=Pending"))
                (code, body) = try await harness.get("\(base)/web/portforward?ports=http")
                #expect(code == 400)
                #expect(body.contains(#"unable to parse \"http\" as a port"#), "\(body)")
                (code, body) = try await harness.get("\(base)/nope/portforward")
                #expect(code == 404)
                (code, body) = try await harness.get("\(base)/web/portforward?ports=80")
                #expect(code == 400)
                #expect(body.contains("port-forward needs an upgrade"))
                // The channel protocol without ports: refused with the Status (kube-apiserver's wording).
                let missing = try await harness.upgradeAttempt("\(base)/web/portforward", protocols: "v4.channel.k8s.io")
                #expect(missing.code == 400)
                #expect(missing.body.contains(#"query parameter \"port\" is required"#), "\(missing.body)")
                // A plain SPDY upgrade that cannot run gets its Status (kubectl prints it).
                let refused = try await harness.upgradeAttempt("\(base)/slow/portforward", spdy: true, protocols: "portforward.k8s.io")
                #expect(refused.code == 400)
                #expect(refused.body.contains("pod is not running"), "\(refused.body)")
                let unknown = try await harness.upgradeAttempt("\(base)/nope/portforward", spdy: true, protocols: "portforward.k8s.io")
                #expect(unknown.code == 404, "\(unknown.body)")
            }
        }
    }
}
