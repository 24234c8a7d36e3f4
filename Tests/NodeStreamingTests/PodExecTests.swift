import APIModel
import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Testing

extension StreamingEndToEnd {
    /// `pods/exec` end to end over WebSocket: client → API server → node streaming server → a process on the
    /// host (the fake backend runs the command as given).
    @Suite("pods/exec through the node", .serialized)
    struct PodExecTests {
        static let base = "/api/v1/namespaces/default/pods/web/exec?container=main"

        static func command(_ words: String...) -> String {
            words.map { "&command=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) }.joined()
        }

        /// The concatenated payloads of `channel`.
        static func text(_ messages: [[UInt8]], channel: UInt8) -> String {
            String(decoding: messages.filter { $0.first == channel }.flatMap { $0.dropFirst() }, as: UTF8.self)
        }

        @Test func stdoutStderrAndSuccess() async throws {
            try await StreamingHarness.with { harness in
                let messages = try await harness.exec(Self.base + "&stdout=true&stderr=true"
                                                      + Self.command("/bin/sh", "-c", "echo out; echo err >&2"))
                #expect(Self.text(messages, channel: 1) == "out\n")
                #expect(Self.text(messages, channel: 2) == "err\n")
                #expect(Self.text(messages, channel: 3) == #"{"metadata":{},"status":"Success"}"#)
                #expect(messages.last?.first == 3)
            }
        }

        @Test func stdinWithTheV5CloseSignal() async throws {
            try await StreamingHarness.with { harness in
                let messages = try await harness.exec(Self.base + "&stdin=true&stdout=true&stderr=true" + Self.command("/bin/cat"),
                                                      send: [[0] + Array("hello\n".utf8), [0] + Array("again\n".utf8), [255, 0]])
                #expect(Self.text(messages, channel: 1) == "hello\nagain\n")
                #expect(Self.text(messages, channel: 3) == #"{"metadata":{},"status":"Success"}"#)
            }
        }

        @Test func nonZeroExitCode() async throws {
            try await StreamingHarness.with { harness in
                let messages = try await harness.exec(Self.base + "&stdout=true" + Self.command("/bin/sh", "-c", "echo no >&2; exit 3"),
                                                      protocols: "v4.channel.k8s.io")
                #expect(Self.text(messages, channel: 2) == "")
                let status = try JSONDecoder().decode(Status.self, from: Data(Self.text(messages, channel: 3).utf8))
                #expect(status.status == "Failure")
                #expect(status.reason == "NonZeroExitCode")
                #expect(status.details?.causes?.first?.reason == "ExitCode")
                #expect(status.details?.causes?.first?.message == "3")
            }
        }

        @Test func backendFailureIsTheStatus() async throws {
            try await StreamingHarness.with { harness in
                let messages = try await harness.exec("/api/v1/namespaces/default/pods/slow/exec?stdout=1" + Self.command("/bin/true"))
                #expect(Self.text(messages, channel: 3).contains("container not running (waiting)"))
            }
        }

        @Test func unauthenticatedClientsGetTheirStatusOnly() async throws {
            try await StreamingHarness.with { harness in
                let messages = try await harness.exec(Self.base + "&stdout=1" + Self.command("/bin/true"), token: nil)
                #expect(messages.count == 1)
                #expect(Self.text(messages, channel: 3).contains(#""code":401"#))
            }
        }

        @Test func refusesWhatIsNotAWebSocket() async throws {
            try await StreamingHarness.with { harness in
                var post = harness.request("/api/v1/namespaces/default/pods/web/exec?stdout=1&command=ls", method: .POST)
                post.headers.add(name: "X-Stream-Protocol-Version", value: "v4.channel.k8s.io")
                let response = try await harness.client.execute(post, timeout: .seconds(30))
                let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
                #expect(response.status.code == 400)
                #expect(body.contains("exec needs an upgrade"))
                let (code, invalid) = try await harness.get("/api/v1/namespaces/default/pods/web/exec?stdout=1&command=ls&container=x")
                #expect(code == 400)
                #expect(invalid.contains("container x is not valid for pod web"))
                let (unbound, message) = try await harness.get("/api/v1/namespaces/default/pods/pending/exec?stdout=1&command=ls")
                #expect(unbound == 400)
                #expect(message.contains("pod pending does not have a host assigned"))
            }
        }
    }
}
