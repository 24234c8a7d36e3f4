import APIClient
import APIModel
import ArgumentParser
import Foundation
import Storage
import Synchronization

/// `skiff bench scheduling`: the scheduler and simulated nodes end to end through the API.
///
/// Starts `skiff server --simulated-nodes N` (this executable) on loopback in a temporary data directory,
/// then (1) creates `--pods` pods as fast as `--clients` clients can and measures how fast they are bound,
/// (2) creates `--paced-pods` more at `--rate` per second and measures creation → Running as seen by a watch,
/// and (3) reads the server's RSS with everything in place. It stops the server by PID at the end.
struct SchedulingBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduling",
        abstract: "Measure pods bound per second and creation-to-Running latency on simulated nodes.")

    @Option(help: "Simulated nodes in the server.")
    var nodes: Int = 1_000

    @Option(help: "Pods created as fast as possible (the throughput phase).")
    var pods: Int = 10_000

    @Option(help: "Concurrent clients creating pods, each with its own connection.")
    var clients: Int = 16

    @Option(name: .customLong("paced-pods"), help: "Pods created at a steady rate (the latency phase; 0 skips it).")
    var pacedPods: Int = 2_500

    @Option(help: "Pods per second in the latency phase.")
    var rate: Int = 500

    @Option(help: "Datastore of the server under test: sqlite or memory.")
    var datastore: String = "sqlite"

    @Option(name: .customLong("time-limit"), help: "Seconds after which the bench stops the server and exits (status 3).")
    var timeLimit: Int = 900

    @Flag(help: "Exit with status 1 when a target is missed.")
    var strict = false

    func validate() throws {
        guard (1...20_000).contains(nodes), (1...200_000).contains(pods), (1...256).contains(clients),
              (0...100_000).contains(pacedPods), (1...10_000).contains(rate), timeLimit >= 10 else {
            throw ValidationError("nodes 1–20,000, pods 1–200,000, clients 1–256, paced pods 0–100,000, rate 1–10,000, time limit ≥ 10")
        }
        guard datastore == "sqlite" || datastore == "memory" else { throw ValidationError("--datastore is sqlite or memory") }
    }

    func run() async throws {
        BenchChildren.shared.installSignalHandlers()
        BenchChildren.shared.startWatchdog(limit: .seconds(timeLimit))
        _ = raiseOpenFileLimit(to: 4 * clients + 256)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-bench-sched-\(getpid())")
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let logPath = directory.appendingPathComponent("server.log").path
        benchLog("skiff bench scheduling: data directory \(directory.path), server log \(logPath)")
        defer {
            BenchChildren.shared.stopAll()
            try? FileManager.default.removeItem(at: directory)
        }
        let (server, config, _) = try await BenchServerProcess.start(
            executable: currentExecutablePath(), directory: directory, logPath: logPath,
            arguments: ["--datastore", datastore, "--simulated-nodes", String(nodes)])
        var rows: [[String]] = []
        var missed = false
        func row(_ goal: String, _ target: String, _ measured: String, _ met: Bool?) {
            rows.append([goal, target, measured, met.map { $0 ? "met" : "MISSED" } ?? ""])
            if met == false { missed = true }
        }
        do {
            try await BenchLoad.withClient(config, options: .init(maxConnections: 4, requestTimeout: .seconds(60))) { admin in
                let registered = try await waitForNodes(admin)
                row("\(BenchFormat.count(nodes)) simulated nodes registered", "", BenchFormat.ms(registered.milliseconds), nil)

                let throughput = try await boundRate(admin, config: config)
                let target = nodes <= 1_000 ? 3_000.0 : 1_500.0
                row("pods bound/s, \(BenchFormat.count(pods)) pods on \(BenchFormat.count(nodes)) nodes, \(clients) clients",
                    "≥ \(BenchFormat.count(Int(target)))/s", String(format: "%.0f/s", throughput.bound), throughput.bound >= target)
                row("pods created/s in the same phase", "", String(format: "%.0f/s", throughput.created), nil)
                row("pods Running/s in the same phase (all Running before the latency phase)", "",
                    String(format: "%.0f/s", throughput.running), nil)

                if pacedPods > 0 {
                    let latency = try await runningLatency(admin, config: config)
                    row("creation → Running p50 / p99 at \(rate)/s (\(BenchFormat.count(pacedPods)) pods)", "p99 < 1 s",
                        "\(BenchFormat.ms(latency.p50)) / \(BenchFormat.ms(latency.p99))", latency.p99 < 1000)
                }
            }
            if let memory = server.memory() {
                let total = pods + pacedPods
                row("server RSS with \(BenchFormat.count(nodes)) nodes and \(BenchFormat.count(total)) pods",
                    nodes >= 5_000 && total >= 50_000 ? "< 1 GB" : "", BenchFormat.mib(memory.rss),
                    nodes >= 5_000 && total >= 50_000 ? memory.rss < 1_000_000_000 : nil)
            }
        } catch {
            benchLog("bench failed: \(error)\nserver log tail:\n\(server.logTail())")
            await server.stop()
            throw error
        }
        await server.stop()
        print("""
            ## skiff bench scheduling

            Command: `\((["skiff"] + CommandLine.arguments.dropFirst()).joined(separator: " "))`
            Machine: \(BenchReport.machine())

            \(BenchFormat.table(["goal", "target", "measured", ""], rows))
            """)
        if strict && missed { throw ExitCode(1) }
    }

    // MARK: Phases

    private func waitForNodes(_ admin: KubernetesClient) async throws -> Duration {
        let started = ContinuousClock.now
        while true {
            let response = try await admin.request(method: "GET", path: "/api/v1/nodes?limit=1&labelSelector=node.skiff.dev%2Fsimulated")
            if response.isSuccess, let list = try? JSONDecoder().decode(ObjectList<Node>.self, from: response.body),
               let remaining = list.metadata?.remainingItemCount.map({ Int($0) + (list.items?.count ?? 0) }) ?? list.items?.count,
               remaining >= nodes {
                return ContinuousClock.now - started
            }
            let all = try await admin.listItems(Node.self)
            if all.items.count >= nodes { return ContinuousClock.now - started }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    private static func podJSON(name: String, namespace: String, app: String) -> Data {
        Data(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)","namespace":"\#(namespace)","labels":{"app":"\#(app)"}},"spec":{"containers":[{"name":"app","image":"registry.invalid/app:1.0","resources":{"requests":{"cpu":"100m","memory":"64Mi"}}}]}}"#.utf8)
    }

    /// Creates the pods flat out while a watch notes when each is bound, then waits until every one is Running
    /// (so that the latency phase starts on a settled cluster).
    private func boundRate(_ admin: KubernetesClient, config: KubeConfig) async throws -> (bound: Double, created: Double, running: Double) {
        let namespace = "bench-sched-throughput"
        _ = try await admin.create(Namespace(metadata: ObjectMeta(name: namespace)))
        let watch = try await PodWatch.start(admin, namespace: namespace)
        let loadClients = try BenchLoad.makeClients(config, count: clients, connections: 1)
        defer { Task { await BenchLoad.shutdown(loadClients) } }
        try await BenchLoad.warmUp(loadClients)
        benchLog("creating \(BenchFormat.count(pods)) pods with \(clients) clients on \(BenchFormat.count(nodes)) nodes…")
        let started = ContinuousClock.now
        let path = ResourcePath.pods.collection(namespace: namespace)
        let created = await BenchLoad.concurrently(loadClients, total: pods) { client, index in
            let name = String(format: "p-%06d", index)
            do {
                let response = try await client.request(method: "POST", path: path,
                                                        body: Self.podJSON(name: name, namespace: namespace, app: "app-\(index % 50)"))
                return response.status == 201 ? (nil, nil, 0) : (nil, "HTTP \(response.status)", 0)
            } catch {
                return (nil, "\(error)", 0)
            }
        }
        if created.errors > 0 { throw BenchError("\(created.errors) creates failed; first: \(created.firstError ?? "?")") }
        let createdRate = Double(pods) / (created.wall.milliseconds / 1000)
        benchLog("  created in \(BenchFormat.ms(created.wall.milliseconds)); waiting for every pod to be bound…")
        let lastBound = try await watch.waitUntil(count: pods, of: .bound, timeout: .seconds(max(60, pods / 100)))
        let lastRunning = try await watch.waitUntil(count: pods, of: .running, timeout: .seconds(max(60, pods / 100)))
        watch.stop()
        let seconds = (lastBound - started).milliseconds / 1000
        return (Double(pods) / seconds, createdRate, Double(pods) / ((lastRunning - started).milliseconds / 1000))
    }

    /// Creates pods at a steady rate and measures creation → Running.
    private func runningLatency(_ admin: KubernetesClient, config: KubeConfig) async throws -> LatencySummary {
        let namespace = "bench-sched-latency"
        _ = try await admin.create(Namespace(metadata: ObjectMeta(name: namespace)))
        let watch = try await PodWatch.start(admin, namespace: namespace)
        let loadClients = try BenchLoad.makeClients(config, count: clients, connections: 1)
        defer { Task { await BenchLoad.shutdown(loadClients) } }
        try await BenchLoad.warmUp(loadClients)
        benchLog("creating \(BenchFormat.count(pacedPods)) pods at \(rate)/s…")
        let path = ResourcePath.pods.collection(namespace: namespace)
        let sent = Locked<[String: ContinuousClock.Instant]>([:])
        let started = ContinuousClock.now
        let failures = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<pacedPods {
                let due = started + .microseconds(Int64(index) * 1_000_000 / Int64(rate))
                try? await Task.sleep(until: due, clock: .continuous)
                let client = loadClients[index % loadClients.count]
                let name = String(format: "q-%06d", index)
                group.addTask {
                    sent.withLock { $0[name] = ContinuousClock.now }
                    let response = try? await client.request(method: "POST", path: path,
                                                             body: Self.podJSON(name: name, namespace: namespace, app: "paced"))
                    return response?.status == 201
                }
            }
            var failed = 0
            for await ok in group where !ok { failed += 1 }
            return failed
        }
        if failures > 0 { throw BenchError("\(failures) paced creates failed") }
        _ = try await watch.waitUntil(count: pacedPods, of: .running, timeout: .seconds(120))
        watch.stop()
        var samples = LatencySamples()
        let running = watch.times(of: .running)
        let sentTimes = sent.withLock { $0 }
        for (name, at) in running {
            if let start = sentTimes[name] { samples.add(at - start) }
        }
        return samples.summary()
    }
}

/// A watch of one namespace's pods noting when each is first seen bound and Running.
final class PodWatch: Sendable {
    enum Milestone { case bound, running }

    private struct Facts: Decodable {
        struct Object: Decodable {
            struct Meta: Decodable { var name: String? }
            struct Spec: Decodable { var nodeName: String? }
            struct Status: Decodable { var phase: String? }
            var metadata: Meta?
            var spec: Spec?
            var status: Status?
        }
        var object: Object?
    }

    private struct State {
        var bound: [String: ContinuousClock.Instant] = [:]
        var running: [String: ContinuousClock.Instant] = [:]
    }

    private let state = Mutex(State())
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)

    static func start(_ client: KubernetesClient, namespace: String) async throws -> PodWatch {
        let watch = PodWatch()
        let lines = try await client.watchLines(path: ResourcePath.pods.collection(namespace: namespace) + "?watch=true&resourceVersion=0")
        let task = Task {
            let decoder = JSONDecoder()
            do {
                for try await line in lines {
                    let now = ContinuousClock.now
                    guard let facts = try? decoder.decode(Facts.self, from: line), let name = facts.object?.metadata?.name else { continue }
                    watch.state.withLock { state in
                        if !(facts.object?.spec?.nodeName ?? "").isEmpty, state.bound[name] == nil { state.bound[name] = now }
                        if facts.object?.status?.phase == "Running", state.running[name] == nil { state.running[name] = now }
                    }
                }
            } catch {}
        }
        watch.task.withLock { $0 = task }
        return watch
    }

    func times(of milestone: Milestone) -> [String: ContinuousClock.Instant] {
        state.withLock { milestone == .bound ? $0.bound : $0.running }
    }

    /// Waits until `count` pods reached the milestone; returns when the last one did.
    func waitUntil(count: Int, of milestone: Milestone, timeout: Duration) async throws -> ContinuousClock.Instant {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let times = self.times(of: milestone)
            if times.count >= count, let last = times.values.max() { return last }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw BenchError("only \(times(of: milestone).count) of \(count) pods were \(milestone) within \(timeout)")
    }

    func stop() {
        task.withLock { $0?.cancel() }
    }
}
