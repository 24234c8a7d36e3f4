import Foundation
import Storage
import StorageEtcd
#if canImport(Glibc)
import Glibc
#endif

/// An etcd server of a test's own: on 127.0.0.1 only, on free ports, its data in a new temporary directory;
/// alone, or one member of a cluster of such servers (`startedCluster`). `stop()` ends it by its PID
/// (SIGTERM); `start()` runs it again on the same ports and data.
///
/// Tests that need etcd fail (they do not skip) when it is not installed: CI installs `etcd-server`.
final class EtcdTestServer: Sendable {
    static let executable = "/usr/bin/etcd"

    let name: String
    let directory: URL
    let clientPort: Int
    let peerPort: Int
    /// Every member's `name=peer URL`, this one's included.
    private let initialCluster: String
    /// More etcd flags, after the ones that make it a member on loopback.
    private let extraArguments: [String]
    private let process = Locked<Process?>(nil)

    var endpoint: EtcdEndpoint { EtcdEndpoint(host: "127.0.0.1", port: clientPort) }

    /// A new cluster of `size` members, each serving (started together: a cluster needs a quorum).
    static func startedCluster(size: Int, extraArguments: [String] = []) async throws -> [EtcdTestServer] {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw EtcdTestServerError(
                "etcd is not installed (\(executable)); these tests need it: apt-get install etcd-server")
        }
        let ports = try (0..<size).map { _ in (client: try freeLoopbackPort(), peer: try freeLoopbackPort()) }
        let cluster = ports.indices.map { "m\($0)=http://127.0.0.1:\(ports[$0].peer)" }.joined(separator: ",")
        let members = try ports.indices.map { index in
            try EtcdTestServer(name: "m\(index)", clientPort: ports[index].client, peerPort: ports[index].peer,
                               initialCluster: cluster, extraArguments: extraArguments)
        }
        do {
            for member in members { try member.launch() }
            for member in members { try await member.waitUntilServing() }
        } catch {
            for member in members { await member.remove() }
            throw error
        }
        return members
    }

    private init(name: String, clientPort: Int, peerPort: Int, initialCluster: String,
                 extraArguments: [String]) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("skiff-etcd-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.name = name
        self.clientPort = clientPort
        self.peerPort = peerPort
        self.initialCluster = initialCluster
        self.extraArguments = extraArguments
    }

    /// Starts etcd again (after `stop()`) and waits until it serves.
    func start() async throws {
        try launch()
        try await waitUntilServing()
    }

    private var log: URL { directory.appendingPathComponent("etcd.log") }

    /// Runs the etcd process, its output appended to `etcd.log` in its directory.
    private func launch() throws {
        let client = "http://127.0.0.1:\(clientPort)"
        let peer = "http://127.0.0.1:\(peerPort)"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = [
            "--name", name,
            "--data-dir", directory.appendingPathComponent("data").path,
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", initialCluster,
            // Short ticks: a leader is elected quickly on loopback.
            "--heartbeat-interval", "10", "--election-timeout", "100",
        ] + extraArguments
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
    }

    /// Waits until etcd serves: its client port accepts connections, then a read through a store of its own
    /// succeeds. (etcd accepts connections before it serves; a write sent on a connection made then may be
    /// cut off, which a store reports as `.unavailable` since it may have been applied.)
    private func waitUntilServing() async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while !isAcceptingConnections(port: clientPort) {
            guard let process = process.withLock({ $0 }), process.isRunning else {
                throw EtcdTestServerError("etcd \(name) exited; see \(log.path)")
            }
            guard ContinuousClock.now < deadline else {
                throw EtcdTestServerError("etcd \(name) did not open port \(clientPort) in 20 s; see \(log.path)")
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
    try await withEtcdCluster(size: 1, extraArguments: extraArguments) { try await body($0[0]) }
}

/// Runs `body` with a new etcd cluster of `size` members, stopped and removed after.
func withEtcdCluster(
    size: Int, extraArguments: [String] = [], _ body: ([EtcdTestServer]) async throws -> Void
) async throws {
    let members = try await EtcdTestServer.startedCluster(size: size, extraArguments: extraArguments)
    do {
        try await body(members)
    } catch {
        for member in members { await member.remove() }
        throw error
    }
    for member in members { await member.remove() }
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
