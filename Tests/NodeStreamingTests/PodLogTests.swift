import AsyncHTTPClient
import ContainerRuntime
import Foundation
import NIOCore
import Testing
import TestSupport

extension StreamingEndToEnd {
    /// `pods/log` end to end: API server → node streaming server → CRI files of the fake backend.
    @Suite("pods/log through the node", .serialized)
    struct PodLogTests {
        static let lines: [(String, Int, CRILogFormat.Stream)] = [
            ("one", 1_700_000_001, .stdout), ("two", 1_700_000_002, .stderr), ("three", 1_700_000_003, .stdout),
        ]

        @Test func readsTheLogWithKubectlsOptions() async throws {
            try await StreamingHarness.with { harness in
                try harness.backend.append("main", Self.lines)
                let base = "/api/v1/namespaces/default/pods/web/log"
                #expect(try await harness.get(base) == (200, "one\ntwo\nthree\n"))
                #expect(try await harness.get(base + "?container=main&tailLines=1") == (200, "three\n"))
                #expect(try await harness.get(base + "?sinceTime=2023-11-14T22:13:22Z") == (200, "two\nthree\n"))
                #expect(try await harness.get(base + "?limitBytes=6") == (200, "one\ntw"))
                #expect(try await harness.get(base + "?timestamps=true&tailLines=1")
                        == (200, "2023-11-14T22:13:23.000000000Z three\n"))
                #expect(try await harness.get(base + "?sinceSeconds=60") == (200, ""))
            }
        }

        @Test func readsThePreviousInstance() async throws {
            try await StreamingHarness.with { harness in
                let base = "/api/v1/namespaces/default/pods/web/log?previous=true"
                let (code, body) = try await harness.get(base)
                #expect(code == 400)
                #expect(body.contains(#"previous terminated container \"main\" in pod \"web\" not found"#))
                #expect(body.contains(#""reason":"BadRequest""#))
                try harness.backend.append("main", previous: true, [("before", 1_700_000_000, .stdout)])
                #expect(try await harness.get(base) == (200, "before\n"))
            }
        }

        @Test func followsUntilTheContainerExits() async throws {
            try await StreamingHarness.with { harness in
                try harness.backend.append("main", [("first", 1_700_000_001, .stdout)])
                let response = try await harness.client.execute(
                    harness.request("/api/v1/namespaces/default/pods/web/log?follow=true"), timeout: .seconds(30))
                #expect(response.status.code == 200)
                var iterator = response.body.makeAsyncIterator()
                var received = ""
                while !received.contains("first\n"), let chunk = try await iterator.next() { received += String(buffer: chunk) }
                try harness.backend.append("main", [("second", 1_700_000_002, .stdout)])
                while !received.contains("second\n"), let chunk = try await iterator.next() { received += String(buffer: chunk) }
                #expect(received == "first\nsecond\n")
                try harness.backend.append("main", [("last", 1_700_000_003, .stdout)])
                harness.backend.exit()
                while let chunk = try await iterator.next() { received += String(buffer: chunk) }
                #expect(received == "first\nsecond\nlast\n")
            }
        }

        @Test func answersKubernetesErrors() async throws {
            try await StreamingHarness.with { harness in
                func check(_ path: String, _ code: Int, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                    let (status, body) = try await harness.get("/api/v1/namespaces/default/pods/" + path)
                    #expect(status == code, sourceLocation: sourceLocation)
                    #expect(body.contains(message), "\(body)", sourceLocation: sourceLocation)
                }
                try await check("nope/log", 404, #"pods \"nope\" not found"#)
                try await check("duo/log", 400, "a container name must be specified for pod duo, choose one of: [a b]")
                try await check("web/log?container=x", 400, "container x is not valid for pod web")
                try await check("web/log?tailLines=-1", 422,
                                #"PodLogOptions \"web\" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0"#)
                try await check("web/log?limitBytes=abc", 400, #"strconv.ParseInt: parsing \"abc\": invalid syntax"#)
                try await check("slow/log", 400, #"container \"waiting\" in pod \"slow\" is waiting to start: ContainerCreating"#)
                #expect(try await harness.get("/api/v1/namespaces/default/pods/pending/log") == (200, ""))
            }
        }

        @Test func discoveryListsTheStreamingSubresources() async throws {
            try await StreamingHarness.with { harness in
                let (_, body) = try await harness.get("/api/v1")
                #expect(body.contains(#"{"kind":"Pod","name":"pods/log","namespaced":true,"singularName":"","verbs":["get"]}"#))
                #expect(body.contains(#"{"kind":"PodExecOptions","name":"pods/exec","namespaced":true,"singularName":"","verbs":["create","get"]}"#))
            }
        }
    }
}
