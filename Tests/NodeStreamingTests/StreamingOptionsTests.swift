import APIModel
import ContainerRuntime
import Foundation
import NIOCore
import Testing
@testable import APIServer
@testable import NodeStreaming

/// The pure parts: query conversion, `PodLogOptions` validation, protocol negotiation, channel framing,
/// the exit status message and node paths.
@Suite("Streaming options and framing")
struct StreamingOptionsTests {
    @Test func queryParametersDecodeAndConvertAsKubernetes() throws {
        let query = QueryParameters(query: "command=sh&command=-c&command=echo%20hi+there&stdin=&tty=0&stdout=true&stderr=F")
        #expect(query.values("command") == ["sh", "-c", "echo hi there"])
        #expect(query.bool("stdin"))
        #expect(!query.bool("tty"))
        #expect(query.bool("stdout"))
        #expect(!query.bool("stderr"))
        #expect(!query.bool("absent"))
        #expect(QueryParameters([("command", "a b&c")]).encoded == "command=a%20b%26c")
    }

    @Test func podLogQueryConvertsAndForwards() throws {
        let query = try PodLogQuery(QueryParameters(query: "container=main&follow=true&tailLines=2&timestamps=1&limitBytes=10"))
        #expect(query == PodLogQuery(container: "main", follow: true, timestamps: true, tailLines: 2, limitBytes: 10))
        #expect(query.nodeParameters.encoded == "follow=true&timestamps=true&tailLines=2&limitBytes=10")
        #expect(throws: QueryParameterError(message: "strconv.ParseInt: parsing \"abc\": invalid syntax")) {
            try PodLogQuery(QueryParameters(query: "tailLines=abc"))
        }
        #expect(throws: QueryParameterError.self) { try PodLogQuery(QueryParameters(query: "sinceTime=yesterday")) }
    }

    @Test func podLogValidationUsesKubernetesMessages() throws {
        func message(_ query: String) -> String? {
            do {
                _ = try PodLogValidation.options(QueryParameters(query: query), pod: "web")
                return nil
            } catch {
                return "\(error.code) \(error.message)"
            }
        }
        #expect(message("tailLines=-1") == "422 PodLogOptions \"web\" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0")
        #expect(message("limitBytes=0") == "422 PodLogOptions \"web\" is invalid: limitBytes: Invalid value: 0: must be greater than 0")
        #expect(message("sinceSeconds=0") == "422 PodLogOptions \"web\" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0")
        #expect(message("sinceSeconds=5&sinceTime=2024-01-01T00:00:00Z")
                == "422 PodLogOptions \"web\" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified")
        #expect(message("tailLines=x") == "400 strconv.ParseInt: parsing \"x\": invalid syntax")
        #expect(message("tailLines=0&sinceSeconds=10") == nil)
    }

    @Test func logReadOptionsFromQuery() {
        let now = Date(timeIntervalSince1970: 1_000)
        let options = ContainerLogResponse.readOptions(PodLogQuery(timestamps: true, sinceSeconds: 10, tailLines: 3), now: now)
        #expect(options == LogReadOptions(tail: 3, since: LogTime(seconds: 990), timestamps: true))
        let byTime = ContainerLogResponse.readOptions(PodLogQuery(sinceTime: "1970-01-01T00:01:40Z", limitBytes: 5), now: now)
        #expect(byTime == LogReadOptions(since: LogTime(seconds: 100), limitBytes: 5))
    }

    @Test func execQueryRoundTrips() {
        let query = PodExecQuery(QueryParameters(query: "command=ls&command=-l&container=main&stdout=true&tty=true&stdin=1"))
        #expect(query == PodExecQuery(container: "main", command: ["ls", "-l"], stdin: true, stdout: true, stderr: false, tty: true))
        #expect(PodExecQuery(query.nodeParameters) == PodExecQuery(command: ["ls", "-l"], stdin: true, stdout: true, stderr: false, tty: true))
    }

    @Test func protocolNegotiationPrefersV5() {
        #expect(RemoteCommandProtocol.negotiate(offered: ["v5.channel.k8s.io"]) == .v5)
        #expect(RemoteCommandProtocol.negotiate(offered: ["v4.channel.k8s.io, v5.channel.k8s.io"]) == .v5)
        #expect(RemoteCommandProtocol.negotiate(offered: ["channel.k8s.io", "v4.channel.k8s.io"]) == .v4)
        #expect(RemoteCommandProtocol.negotiate(offered: ["SPDY/3.1+portforward.k8s.io"]) == nil)
        #expect(RemoteCommandProtocol.negotiate(offered: []) == nil)
    }

    @Test func channelFramesAndResize() {
        #expect(ChannelFrame(ByteBuffer(bytes: [0, 104, 105])) == ChannelFrame(channel: 0, payload: [104, 105]))
        #expect(ChannelFrame(ByteBuffer(bytes: [255, 0])) == ChannelFrame(channel: 255, payload: [0]))
        #expect(ChannelFrame(ByteBuffer()) == nil)
        #expect(TerminalSize(json: Array(#"{"Width":80,"Height":24}"#.utf8)) == TerminalSize(width: 80, height: 24))
        #expect(TerminalSize(json: Array("nope".utf8)) == nil)
    }

    @Test func exitStatusMessages() throws {
        func json(_ status: Status) -> String { String(decoding: ExecStatus.message(status).dropFirst(), as: UTF8.self) }
        #expect(ExecStatus.message(ExecStatus.success()).first == 3)
        #expect(json(ExecStatus.exited(ExitStatus(code: 0), command: ["true"])) == #"{"metadata":{},"status":"Success"}"#)
        let failure = ExecStatus.exited(ExitStatus(code: 3), command: ["sh", "-c", "exit 3"])
        #expect(failure.status == "Failure")
        #expect(failure.reason == "NonZeroExitCode")
        #expect(failure.details?.causes == [StatusCause(message: "3", reason: "ExitCode")])
        #expect(failure.message == "command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3")
    }

    @Test func nodePaths() {
        #expect(StreamingPath("/containerLogs/default/web/main")
                == StreamingPath(endpoint: .containerLogs, namespace: "default", pod: "web", container: "main"))
        #expect(StreamingPath("/exec/ns/p/c")?.path == "/exec/ns/p/c")
        #expect(StreamingPath("/exec/ns/p") == nil)
        #expect(StreamingPath("/attach/ns/p/c") == nil)
    }

    @Test func containerDefaultingAsKubernetes() throws {
        func pod(_ containers: [String], initContainers: [String] = []) -> Pod {
            Pod(metadata: ObjectMeta(name: "web"),
                spec: PodSpec(containers: containers.map { Container(name: $0) },
                              initContainers: initContainers.map { Container(name: $0) }))
        }
        #expect(try PodStreamTarget.validContainer(nil, pod: pod(["main"])) == "main")
        #expect(try PodStreamTarget.validContainer("setup", pod: pod(["main"], initContainers: ["setup"])) == "setup")
        #expect(throws: APIError.self) { try PodStreamTarget.validContainer("nope", pod: pod(["main"])) }
        do {
            _ = try PodStreamTarget.validContainer(nil, pod: pod(["a", "b"], initContainers: ["i"]))
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "a container name must be specified for pod web, choose one of: [i a b]")
            #expect(error.code == 400)
        }
        do {
            _ = try PodStreamTarget.validContainer("x", pod: pod(["main"]))
        } catch {
            #expect(error.message == "container x is not valid for pod web")
        }
    }
}
