import APIClient
import APIModel
import ArgumentParser
import Foundation
import Storage

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

    @OptionGroup var options: BenchServerOptions

    func validate() throws {
        guard (1...20_000).contains(nodes), (1...200_000).contains(pods), (1...256).contains(clients),
              (0...100_000).contains(pacedPods), (1...10_000).contains(rate) else {
            throw ValidationError("nodes 1–20,000, pods 1–200,000, clients 1–256, paced pods 0–100,000, rate 1–10,000")
        }
    }

    func run() async throws {
        try await SimulatedBench.run("scheduling", nodes: nodes, clients: clients, options: options) { server, config, table in
            try await BenchLoad.withClient(config, options: .init(maxConnections: 4, requestTimeout: .seconds(60))) { admin in
                let registered = try await BenchLoad.waitForNodes(admin, count: nodes)
                table.row("\(BenchFormat.count(nodes)) simulated nodes registered", "", BenchFormat.ms(registered.milliseconds), nil)

                let throughput = try await boundRate(admin, config: config)
                let target = nodes <= 1_000 ? 3_000.0 : 1_500.0
                table.row("pods bound/s, \(BenchFormat.count(pods)) pods on \(BenchFormat.count(nodes)) nodes, \(clients) clients",
                          "≥ \(BenchFormat.count(Int(target)))/s", String(format: "%.0f/s", throughput.bound), throughput.bound >= target)
                table.row("pods created/s in the same phase", "", String(format: "%.0f/s", throughput.created), nil)
                table.row("pods Running/s in the same phase (all Running before the latency phase)", "",
                          String(format: "%.0f/s", throughput.running), nil)

                if pacedPods > 0 {
                    let latency = try await runningLatency(admin, config: config)
                    table.row("creation → Running p50 / p99 at \(rate)/s (\(BenchFormat.count(pacedPods)) pods)", "p99 < 1 s",
                              "\(BenchFormat.ms(latency.p50)) / \(BenchFormat.ms(latency.p99))", latency.p99 < 1000)
                }
            }
            if let memory = server.memory() {
                let total = pods + pacedPods
                table.row("server RSS with \(BenchFormat.count(nodes)) nodes and \(BenchFormat.count(total)) pods",
                          nodes >= 5_000 && total >= 50_000 ? "< 1 GB" : "", BenchFormat.mib(memory.rss),
                          nodes >= 5_000 && total >= 50_000 ? memory.rss < 1_000_000_000 : nil)
            }
        }
    }

    // MARK: Phases

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
