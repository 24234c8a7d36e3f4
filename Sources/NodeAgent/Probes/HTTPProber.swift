import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Where an httpGet probe goes.
struct HTTPProbeTarget: Sendable {
    var scheme: String
    var host: String
    var port: Int
    var path: String
    var headers: [(String, String)]

    /// The request URL as the kubelet forms it (IPv6 hosts bracketed, path given a leading slash).
    var url: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let pathPart = path.hasPrefix("/") ? path : "/" + path
        return "\(scheme.lowercased())://\(hostPart):\(port)\(pathPart)"
    }
}

/// httpGet probes through one shared client: TLS not verified, redirects followed, no keep-alive, no proxy.
enum HTTPProber {
    static let userAgent = "kube-probe/1.32"

    private static let client: HTTPClient = {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        let configuration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .follow(max: 10, allowCycles: false),
            timeout: .init(connect: .seconds(10)))
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }()

    /// One attempt; `timeout` bounds the whole exchange up to the response head.
    static func probe(_ target: HTTPProbeTarget, timeout: Duration) async -> ProbeOutcome {
        var request = HTTPClientRequest(url: target.url)
        request.headers.add(name: "User-Agent", value: userAgent)
        request.headers.add(name: "Accept", value: "*/*")
        request.headers.add(name: "Connection", value: "close")
        for (name, value) in target.headers where !name.isEmpty {
            if name.lowercased() == "user-agent" || name.lowercased() == "accept" {
                request.headers.replaceOrAdd(name: name, value: value)
            } else {
                request.headers.add(name: name, value: value)
            }
        }
        do {
            let response = try await client.execute(request, timeout: timeAmount(timeout))
            // The body is not needed; drain a little so the connection closes cleanly.
            _ = try? await response.body.collect(upTo: 10 * 1024)
            let code = Int(response.status.code)
            if (200..<400).contains(code) { return .success }
            return .failure(output: "HTTP probe failed with statuscode: \(code)")
        } catch {
            let reason = ProbeNetworkError.describe(error, host: target.host, port: target.port)
            return .failure(output: "Get \(GoQuote.quote(target.url)): \(reason)")
        }
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

/// tcpSocket probes: a connection that opens within the timeout is a success; it is closed at once.
enum TCPProber {
    static func probe(host: String, port: Int, timeout: Duration) async -> ProbeOutcome {
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(HTTPProber.timeAmount(timeout))
        do {
            let channel = try await bootstrap.connect(host: host, port: port).get()
            try? await channel.close()
            return .success
        } catch {
            return .failure(output: ProbeNetworkError.describe(error, host: host, port: port))
        }
    }
}

/// Network errors worded as Go's net package words them in probe output.
enum ProbeNetworkError {
    static func describe(_ error: any Error, host: String, port: Int) -> String {
        let hostPort = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        if let errno = errnoCode(of: error) {
            let text: String = switch errno {
            case ECONNREFUSED: "connection refused"
            case EHOSTUNREACH: "no route to host"
            case ENETUNREACH: "network is unreachable"
            case ETIMEDOUT: "connection timed out"
            default: String(cString: strerror(errno)).lowercased()
            }
            return "dial tcp \(hostPort): connect: \(text)"
        }
        if isTimeout(error) {
            return "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
        }
        return "\(error)"
    }

    private static func errnoCode(of error: any Error) -> Int32? {
        if let io = error as? IOError { return io.errnoCode }
        if let connection = error as? NIOConnectionError {
            for attempt in connection.connectionErrors {
                if let code = errnoCode(of: attempt.error) { return code }
            }
        }
        return nil
    }

    private static func isTimeout(_ error: any Error) -> Bool {
        if let client = error as? HTTPClientError {
            return client == .deadlineExceeded || client == .connectTimeout || client == .readTimeout
        }
        if let channel = error as? ChannelError, case .connectTimeout = channel { return true }
        if let connection = error as? NIOConnectionError {
            return connection.connectionErrors.contains { isTimeout($0.error) }
        }
        return false
    }
}
