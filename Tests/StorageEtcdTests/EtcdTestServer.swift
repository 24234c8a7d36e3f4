import Foundation
import Storage
import StorageEtcd
#if canImport(Glibc)
import Glibc
#endif

/// An etcd server of a test's own: on 127.0.0.1 only, on free ports, its data in a new temporary directory.
/// `stop()` ends it by its PID (SIGTERM); `start()` runs it again on the same ports and data.
///
/// Tests that need etcd fail (they do not skip) when it is not installed: CI installs `etcd-server`.
final class EtcdTestServer: Sendable {
    static let executable = "/usr/bin/etcd"

    let directory: URL
    let clientPort: Int
    let peerPort: Int
    /// More etcd flags, after the ones that make it a one-member cluster on loopback.
    let extraArguments: [String]
    private let process = Locked<Process?>(nil)

    var endpoint: EtcdEndpoint { EtcdEndpoint(host: "127.0.0.1", port: clientPort) }

    /// A new server, started and accepting connections.
    static func started(extraArguments: [String] = []) async throws -> EtcdTestServer {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw EtcdTestServerError(
                "etcd is not installed (\(executable)); these tests need it: apt-get install etcd-server")
        }
        let server = try EtcdTestServer(clientPort: try freeLoopbackPort(), peerPort: try freeLoopbackPort(),
                                        extraArguments: extraArguments)
        try await server.start()
        return server
    }

    private init(clientPort: Int, peerPort: Int, extraArguments: [String]) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("skiff-etcd-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.clientPort = clientPort
        self.peerPort = peerPort
        self.extraArguments = extraArguments
    }

    /// Starts etcd and waits until it serves: its client port accepts connections, then a read through a
    /// store of its own succeeds. (etcd accepts connections before it serves; a write sent on a connection
    /// made then may be cut off, which a store reports as `.unavailable` since it may have been applied.)
    func start() async throws {
        let client = "http://127.0.0.1:\(clientPort)"
        let peer = "http://127.0.0.1:\(peerPort)"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = [
            "--name", "default",
            "--data-dir", directory.appendingPathComponent("data").path,
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", "default=\(peer)",
            // A one-member cluster elects itself quickly with short ticks.
            "--heartbeat-interval", "10", "--election-timeout", "100",
        ] + extraArguments
        let log = directory.appendingPathComponent("etcd.log")
        if !FileManager.default.fileExists(atPath: log.path) {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process.withLock { $0 = process }
        let deadline = ContinuousClock.now + .seconds(20)
        while !isAcceptingConnections(port: clientPort) {
            guard process.isRunning else {
                throw EtcdTestServerError("etcd exited with status \(process.terminationStatus); see \(log.path)")
            }
            guard ContinuousClock.now < deadline else {
                throw EtcdTestServerError("etcd did not open port \(clientPort) in 20 s; see \(log.path)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let probe = try EtcdStore(endpoints: [endpoint])
        defer { probe.close() }
        _ = try await probe.currentRevision()
    }

    /// Sends SIGTERM to the etcd this server started and waits until it exited.
    func stop() async {
        guard let process = self.process.withLock({ state in defer { state = nil }; return state }) else { return }
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        while process.isRunning {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Stops etcd and removes its data.
    func remove() async {
        await stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

struct EtcdTestServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` on a store over a new etcd (an empty store at revision 1); stops and removes both after.
func withEtcdStore(_ body: (EtcdStore) async throws -> Void) async throws {
    try await withEtcdServer { server in
        let store = try EtcdStore(endpoints: [server.endpoint])
        defer { store.close() }
        try await body(store)
    }
}

/// Runs `body` with a new etcd server (given more flags), stopped and removed after.
func withEtcdServer(extraArguments: [String] = [], _ body: (EtcdTestServer) async throws -> Void) async throws {
    let server = try await EtcdTestServer.started(extraArguments: extraArguments)
    do {
        try await body(server)
    } catch {
        await server.remove()
        throw error
    }
    await server.remove()
}

/// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
func freeLoopbackPort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw EtcdTestServerError("socket: errno \(errno)") }
    defer { close(descriptor) }
    var address = loopbackAddress(port: 0)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard bound == 0 else { throw EtcdTestServerError("bind: errno \(errno)") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    guard named == 0 else { throw EtcdTestServerError("getsockname: errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Whether something accepts TCP connections on 127.0.0.1:`port`.
func isAcceptingConnections(port: Int) -> Bool {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var address = loopbackAddress(port: port)
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}

private func loopbackAddress(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
    return address
}
