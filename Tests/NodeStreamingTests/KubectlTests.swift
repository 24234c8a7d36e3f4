import ContainerRuntime
import Foundation
import Testing

extension StreamingEndToEnd {
    /// `kubectl logs` and `kubectl exec` (the kubectl on PATH, 1.30 or newer for exec over WebSocket) against
    /// the harness.
    @Suite("kubectl logs and exec", .serialized, .enabled(if: KubectlInvocation.defaultPath != nil))
    struct KubectlTests {
        /// Runs kubectl (`version` picks `kubectl.<version>`) against the harness.
        static func kubectl(_ harness: StreamingHarness, _ arguments: [String], input: String? = nil,
                            version: String? = nil, environment: [String: String] = [:]) async throws -> ExternalCommand.Result {
            let invocation = try KubectlInvocation(harness, version: version)
            defer { invocation.cleanUp() }
            return try await ExternalCommand.run(invocation.executable, invocation.leadingArguments + arguments, input: input,
                                                 environment: environment)
        }

        @Test func logs() async throws {
            try await StreamingHarness.with { harness in
                try harness.backend.append("main", [("one", 1_700_000_001, .stdout), ("two", 1_700_000_002, .stderr)])
                let all = try await Self.kubectl(harness, ["logs", "web"])
                #expect(all.code == 0, "\(all.stderr)")
                #expect(all.stdout == "one\ntwo\n")
                let tail = try await Self.kubectl(harness, ["logs", "web", "--tail=1", "--timestamps"])
                #expect(tail.stdout == "2023-11-14T22:13:22.000000000Z two\n")
                let waiting = try await Self.kubectl(harness, ["logs", "slow"])
                #expect(waiting.code == 1)
                #expect(waiting.stderr.contains(#"Error from server (BadRequest): container "waiting" in pod "slow" is waiting to start: ContainerCreating"#),
                        "\(waiting.stderr)")
            }
        }

        @Test func execExitCodeAndStreams() async throws {
            try await StreamingHarness.with { harness in
                let run = try await Self.kubectl(harness, ["exec", "web", "--", "/bin/sh", "-c", "echo out; echo err >&2; exit 3"])
                #expect(run.code == 3, "\(run.stderr)")
                let invalid = try await Self.kubectl(harness, ["exec", "web", "-c", "nope", "--", "/bin/true"])
                #expect(invalid.code == 1)
                #expect(invalid.stderr.contains("container nope is not valid for pod web"), "\(invalid.stderr)")
                #expect(run.stdout == "out\n")
                #expect(run.stderr.contains("err\n"))
                #expect(run.stderr.contains("command terminated with exit code 3"))
            }
        }

        @Test func execWithStdin() async throws {
            try await StreamingHarness.with { harness in
                let run = try await Self.kubectl(harness, ["exec", "-i", "web", "--", "/bin/cat"], input: "hello\nworld\n")
                #expect(run.code == 0, "\(run.stderr)")
                #expect(run.stdout == "hello\nworld\n")
            }
        }

        /// kubectl 1.27–1.29 speak SPDY only (a plain `Upgrade: SPDY/3.1`, `v4.channel.k8s.io`); newer ones
        /// too with `KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false`.
        @Test(arguments: [("1.27", [:]), ("1.29", [:]), (nil, ["KUBECTL_REMOTE_COMMAND_WEBSOCKETS": "false"])]
              as [(String?, [String: String])])
        func execOverSPDY(version: String?, environment: [String: String]) async throws {
            if let version, !FileManager.default.isExecutableFile(atPath: KubectlInvocation.path(version: version)) { return }
            try await StreamingHarness.with { harness in
                func kubectl(_ arguments: [String], input: String? = nil) async throws -> ExternalCommand.Result {
                    try await Self.kubectl(harness, arguments, input: input, version: version, environment: environment)
                }
                let run = try await kubectl(["exec", "web", "--", "/bin/sh", "-c", "echo out; echo err >&2; exit 3"])
                #expect(run.code == 3, "\(run.stderr)")
                #expect(run.stdout == "out\n")
                #expect(run.stderr.contains("err\n"))
                #expect(run.stderr.contains("command terminated with exit code 3"))
                let input = try await kubectl(["exec", "-i", "web", "--", "/bin/cat"], input: "hello\nworld\n")
                #expect(input.code == 0, "\(input.stderr)")
                #expect(input.stdout == "hello\nworld\n")
                let invalid = try await kubectl(["exec", "web", "-c", "nope", "--", "/bin/true"])
                #expect(invalid.code == 1)
                #expect(invalid.stderr.contains("container nope is not valid for pod web"), "\(invalid.stderr)")
                let waiting = try await kubectl(["exec", "slow", "--", "/bin/true"])
                #expect(waiting.code == 1)
                #expect(waiting.stderr.contains("container not running (waiting)"), "\(waiting.stderr)")
            }
        }
    }
}
