import APIClient
import APIModel
import ArgumentParser
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `skiff bench etcd`: issue 8's goals on one machine. Pod creates/s through the API with the server on etcd,
/// against the same client load with the server on SQLite (target ≥ 50 %), and how soon a watch through the API
/// resumes after etcd restarts (target ≤ 2 s).
///
/// It starts its own etcd on free loopback ports in the bench's temporary directory (Debian's `etcd`), and its
/// own servers (`skiff server --disable-agent`) on loopback; every child is stopped by its PID.
struct EtcdBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "etcd",
        abstract: "Measure pod creates/s on etcd against SQLite, and watch resumption after etcd restarts.")

    @Option(help: "Pods each server gets created.")
    var creates: Int = 5_000

    @Option(help: "Concurrent clients for the creates, each with its own connection.")
    var clients: Int = 16

    @Option(help: "How many times etcd is restarted under a watch.")
    var restarts: Int = 3

    @Option(name: .customLong("etcd"), help: "The etcd executable.")
    var etcdPath: String = "/usr/bin/etcd"

    @OptionGroup var options: BenchServerOptions

    func validate() throws {
        guard (1...200_000).contains(creates), (1...256).contains(clients), (1...20).contains(restarts) else {
            throw ValidationError("--creates is 1…200,000, --clients 1…256, --restarts 1…20")
        }
        guard FileManager.default.isExecutableFile(atPath: etcdPath) else {
            throw ValidationError("no etcd at \(etcdPath) (apt-get install etcd-server, or pass --etcd)")
        }
    }

    func run() async throws {
        let loadBefore = BenchReport.loadAverage()
        let table = try await options.withDataDirectory("etcd") { directory, logPath in
            try await measure(directory: directory, logPath: logPath)
        }
        print("""
            ## skiff bench etcd

            Command: `\(APIBenchCommand.commandLine())`
            Machine: \(BenchReport.machine())
            Load average (1/5/15 min) before: \(loadBefore), after: \(BenchReport.loadAverage())

            \(BenchFormat.table(["goal", "target", "measured", ""], table.rows))
            """)
        if options.strict && table.missed { throw ExitCode(1) }
    }

    private func measure(directory: URL, logPath: String) async throws -> BenchTable {
        var table = BenchTable()
        benchLog("server on SQLite: \(BenchFormat.count(creates)) pod creates with \(clients) clients…")
        let sqlite = try await withServer(directory.appendingPathComponent("sqlite"), logPath: logPath,
                                          arguments: ["--datastore", "sqlite"]) { config, _ in
            try await createRate(config)
        }
        let etcd = try await LoopbackEtcd.start(executable: etcdPath, directory: directory.appendingPathComponent("etcd"))
        defer { Task { await etcd.process.stop() } }
        benchLog("etcd on 127.0.0.1:\(etcd.clientPort); server on etcd: the same creates…")
        let (onEtcd, resumes) = try await withServer(directory.appendingPathComponent("on-etcd"), logPath: logPath,
                                                     arguments: ["--datastore-endpoint", "etcd://127.0.0.1:\(etcd.clientPort)"]) { config, _ in
            let rate = try await createRate(config)
            benchLog("restarting etcd \(restarts) times under a watch…")
            return (rate, try await watchResumes(config, etcd: etcd))
        }
        table.row("pod creates/s, server on SQLite (\(clients) clients)", "", "\(BenchFormat.count(Int(sqlite.rounded())))/s", nil)
        table.row("pod creates/s, server on etcd (same load)", "≥ 50 % of SQLite",
                  "\(BenchFormat.count(Int(onEtcd.rounded())))/s (\(Int((onEtcd / sqlite * 100).rounded())) %)", onEtcd >= sqlite / 2)
        let worst = resumes.max() ?? .zero
        let median = resumes.sorted()[resumes.count / 2]
        table.row("watch through the API resumes after an etcd restart (median / worst of \(resumes.count))", "≤ 2 s",
                  "\(BenchFormat.ms(median.milliseconds)) / \(BenchFormat.ms(worst.milliseconds))", worst <= .seconds(2))
        await etcd.process.stop()
        return table
    }

    private func withServer<T>(_ directory: URL, logPath: String, arguments: [String],
                               _ body: (KubeConfig, BenchServerProcess) async throws -> T) async throws -> T {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let (server, config, _) = try await BenchServerProcess.start(executable: currentExecutablePath(), directory: directory,
                                                                     logPath: logPath, arguments: arguments)
        do {
            let result = try await body(config, server)
            await server.stop()
            return result
        } catch {
            benchLog("bench failed: \(error)\nserver log tail:\n\(server.logTail())")
            await server.stop()
            throw error
        }
    }

    /// Pods created per second by `clients` concurrent clients.
    private func createRate(_ config: KubeConfig) async throws -> Double {
        let namespace = "skiff-bench"
        return try await BenchLoad.withClient(config, options: .init(maxConnections: 2)) { admin in
            _ = try await admin.create(Namespace(metadata: ObjectMeta(name: namespace)))
            let loadClients = try BenchLoad.makeClients(config, count: clients, connections: 1)
            defer { Task { await BenchLoad.shutdown(loadClients) } }
            try await BenchLoad.warmUp(loadClients)
            let created = await BenchLoad.creates(loadClients, namespace: namespace, total: creates)
            guard created.errors == 0 else {
                throw BenchError("\(created.errors) creates failed: \(created.firstError ?? "?")")
            }
            let seconds = created.wall.milliseconds / 1000
            benchLog("  \(created.samples.count) created in \(BenchFormat.ms(created.wall.milliseconds))")
            return Double(created.samples.count) / max(seconds, 0.001)
        }
    }

    /// For each restart: etcd stops (SIGTERM) and starts again on its data; from the moment it accepts
    /// connections, a ConfigMap is created (retried until the API answers 201) and the time until a watch that
    /// was open through the API all along delivers it is one sample.
    private func watchResumes(_ config: KubeConfig, etcd: LoopbackEtcd) async throws -> [Duration] {
        try await BenchLoad.withClient(config, options: .init(maxConnections: 4)) { client in
            let namespace = "skiff-bench-watch"
            _ = try await client.create(Namespace(metadata: ObjectMeta(name: namespace)))
            let seen = Mutex<[String: ContinuousClock.Instant]>([:])
            let lines = try await client.watchLines(path: ConfigMap.resourcePath.collection(namespace: namespace) + "?watch=true")
            let reader = Task {
                struct Line: Decodable {
                    struct Object: Decodable { struct Meta: Decodable { var name: String? }; var metadata: Meta? }
                    var type: String
                    var object: Object?
                }
                do {
                    for try await line in lines {
                        let now = ContinuousClock.now
                        if let decoded = try? JSONDecoder().decode(Line.self, from: line), decoded.type == "ADDED",
                           let name = decoded.object?.metadata?.name {
                            seen.withLock { $0[name] = now }
                        }
                    }
                } catch {}
            }
            defer { reader.cancel() }
            var samples: [Duration] = []
            for round in 0..<restarts {
                try await etcd.restart()
                let back = ContinuousClock.now
                let name = "resume-\(round)"
                let body = try ModelJSON.encode(ConfigMap(metadata: ObjectMeta(name: name, namespace: namespace)))
                let path = ConfigMap.resourcePath.collection(namespace: namespace)
                while ContinuousClock.now - back < .seconds(30) {
                    if let response = try? await client.request(method: "POST", path: path, body: body),
                       response.status == 201 || response.status == 409 { break }
                    try await Task.sleep(for: .milliseconds(10))
                }
                while seen.withLock({ $0[name] }) == nil {
                    if ContinuousClock.now - back > .seconds(30) { throw BenchError("the watch never delivered \(name)") }
                    try await Task.sleep(for: .milliseconds(2))
                }
                let sample = seen.withLock { $0[name]! } - back
                benchLog("  restart \(round + 1): the watch delivered a new object \(BenchFormat.ms(sample.milliseconds)) after etcd accepted connections")
                samples.append(sample)
            }
            return samples
        }
    }
}

/// An etcd of the bench's own: one member on free loopback ports, data in `directory`.
final class LoopbackEtcd: Sendable {
    let executable: String
    let directory: URL
    let clientPort: Int
    let peerPort: Int
    private let current: Mutex<BenchServerProcess>

    var process: BenchServerProcess { current.withLock { $0 } }

    private init(executable: String, directory: URL, clientPort: Int, peerPort: Int, process: BenchServerProcess) {
        self.executable = executable
        self.directory = directory
        self.clientPort = clientPort
        self.peerPort = peerPort
        current = Mutex(process)
    }

    static func start(executable: String, directory: URL) async throws -> LoopbackEtcd {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let clientPort = try freeLoopbackPort(), peerPort = try freeLoopbackPort()
        let process = try await spawn(executable: executable, directory: directory, clientPort: clientPort, peerPort: peerPort)
        let etcd = LoopbackEtcd(executable: executable, directory: directory, clientPort: clientPort, peerPort: peerPort,
                                process: process)
        try await etcd.waitAccepting()
        return etcd
    }

    /// Stops etcd (SIGTERM) and starts it again on the same data and ports; returns once it accepts connections.
    func restart() async throws {
        await process.stop()
        let next = try await Self.spawn(executable: executable, directory: directory, clientPort: clientPort, peerPort: peerPort)
        current.withLock { $0 = next }
        try await waitAccepting()
    }

    private func waitAccepting() async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !BenchSocket.connects("127.0.0.1", clientPort, timeoutMilliseconds: 100) {
            if process.hasExited() { throw BenchError("etcd exited:\n\(process.logTail())") }
            if ContinuousClock.now > deadline { throw BenchError("etcd did not listen within 30 s:\n\(process.logTail())") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    private static func spawn(executable: String, directory: URL, clientPort: Int, peerPort: Int) async throws -> BenchServerProcess {
        let client = "http://127.0.0.1:\(clientPort)", peer = "http://127.0.0.1:\(peerPort)"
        return try await BenchServerProcess.spawn(
            executable: executable, subcommand: [],
            arguments: ["--name", "bench", "--data-dir", directory.appendingPathComponent("data").path,
                        "--listen-client-urls", client, "--advertise-client-urls", client,
                        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                        "--initial-cluster", "bench=\(peer)"],
            logPath: directory.appendingPathComponent("etcd.log").path)
    }

    /// A TCP port on 127.0.0.1 nobody listens on now (the kernel's choice for port 0).
    private static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddr in
                bind(fd, sockaddr, length) == 0 && getsockname(fd, sockaddr, &length) == 0
            }
        }
        guard bound else { throw BenchError("cannot find a free port: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
