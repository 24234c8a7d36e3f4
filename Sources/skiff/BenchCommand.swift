import APIClient
import APIModel
import ArgumentParser
import Foundation

/// `skiff bench` groups the benchmarks; `api` (the default) measures the API server, `scheduling` the
/// scheduler and simulated nodes, `controllers` the Deployment and ReplicaSet controllers on simulated nodes.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Skiff's performance goals on this machine (the API by default; see the subcommands).",
        subcommands: [APIBenchCommand.self, SchedulingBenchCommand.self, ControllersBenchCommand.self, AgentBenchCommand.self,
                      ServicesBenchCommand.self, EtcdBenchCommand.self],
        defaultSubcommand: APIBenchCommand.self)
}

/// `skiff bench [api]`: measures the API server's performance goals on this machine.
///
/// It starts its own `skiff server` (this same executable) on a free loopback port in a temporary data
/// directory, drives it only over 127.0.0.1, and stops it by PID at the end (SIGTERM, then SIGKILL).
/// Every phase is bounded in count, and the whole run by `--time-limit`.
struct APIBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Measure start time, memory, create/GET/LIST latency and watch fan-out against a local skiff server.",
        discussion: """
            Starts `skiff server` on 127.0.0.1 with a temporary data directory, runs the phases and prints a \
            table of results next to the targets. Build with `swift build -c release` before measuring. \
            For a quick smoke run: skiff bench --creates 1000 --gets 1000 --watchers 100 --watch-events 10
            """)

    @Option(help: "Pods to create (the LIST phase lists them all).")
    var creates: Int = 10_000

    @Option(help: "Concurrent clients for creates and GETs, each with its own connection.")
    var clients: Int = 16

    @Option(help: "GET requests in the GET phase.")
    var gets: Int = 5_000

    @Option(help: "LIST requests of all the pods (the median is reported).")
    var lists: Int = 5

    @Option(help: "Concurrent watchers in the fan-out phase, each on its own connection.")
    var watchers: Int = 1_000

    @Option(name: .customLong("watch-events"), help: "Pods created one at a time while the watchers watch.")
    var watchEvents: Int = 50

    @Option(name: .customLong("watch-interval-ms"), help: "Pause after each of those creates, in milliseconds.")
    var watchIntervalMs: Int = 20

    @OptionGroup var options: BenchServerOptions

    func validate() throws {
        guard creates >= 1, clients >= 1, gets >= 0, lists >= 1, watchers >= 0, watchEvents >= 1,
              watchIntervalMs >= 0 else {
            throw ValidationError("counts must be positive (watchers and gets may be 0) and --time-limit at least 10")
        }
        guard creates <= 1_000_000, watchers <= 20_000, gets <= 1_000_000, lists <= 100, watchEvents <= 10_000 else {
            throw ValidationError("counts are capped: creates and gets 1,000,000, watchers 20,000, lists 100, watch events 10,000")
        }
    }

    func run() async throws {
        let report = try await options.withDataDirectory(nil) { directory, logPath in
            let neededFiles = 2 * watchers + 4 * clients + 256
            let fileLimit = raiseOpenFileLimit(to: neededFiles)
            guard fileLimit >= watchers + clients + 128 else {
                throw BenchError("the open-file limit is \(fileLimit) and cannot be raised to \(neededFiles); use fewer --watchers")
            }
            return try await measure(directory: directory, logPath: logPath)
        }
        print(report.render(command: Self.commandLine()))
        if options.strict && report.rows.contains(where: { $0.verdict == .missed }) { throw ExitCode(1) }
    }

    // MARK: Phases

    private func measure(directory: URL, logPath: String) async throws -> BenchReport {
        var report = BenchReport(options: self)
        let executable = currentExecutablePath()

        // Start time, twice: a fresh data directory (certificates and database created) and an existing one.
        benchLog("starting the server (fresh data directory)…")
        let (cold, _, coldStart) = try await BenchServerProcess.start(executable: executable, directory: directory, logPath: logPath, arguments: ["--datastore", options.datastore])
        _ = await cold.stop()
        benchLog("  ready in \(BenchFormat.ms(coldStart.milliseconds)); restarting on the same data directory…")
        let (server, config, warmStart) = try await BenchServerProcess.start(executable: executable, directory: directory, logPath: logPath, arguments: ["--datastore", options.datastore])
        benchLog("  ready in \(BenchFormat.ms(warmStart.milliseconds))")
        do {
            try await Task.sleep(for: .seconds(1))
            let idle = server.memory()
            report.add(startFresh: coldStart, startExisting: warmStart, idleRSS: idle?.rss)
            try await runLoad(config: config, into: &report)
            let after = server.memory()
            report.add(finalMemory: after)
        } catch {
            benchLog("bench failed: \(error)\nserver log tail:\n\(server.logTail())")
            await server.stop()
            throw error
        }
        let stopTime = await server.stop()
        report.stopTime = stopTime
        return report
    }

    private func runLoad(config: KubeConfig, into report: inout BenchReport) async throws {
        let namespace = "skiff-bench"
        try await BenchLoad.withClient(config, options: .init(maxConnections: 2)) { admin in
            try await runLoad(admin: admin, config: config, namespace: namespace, into: &report)
        }
    }

    private func runLoad(admin: KubernetesClient, config: KubeConfig, namespace: String,
                         into report: inout BenchReport) async throws {
        _ = try await admin.create(Namespace(metadata: ObjectMeta(name: namespace)))

        let loadClients = try BenchLoad.makeClients(config, count: clients, connections: 1)
        do {
            try await runCreatesAndGets(loadClients, admin: admin, namespace: namespace, into: &report)
            await BenchLoad.shutdown(loadClients)
        } catch {
            await BenchLoad.shutdown(loadClients)
            throw error
        }

        benchLog("LIST of all pods, \(lists) times…")
        let listed = await BenchLoad.lists(admin, namespace: namespace, times: lists)
        let decodeStarted = ContinuousClock.now
        let all = try await admin.listItems(Pod.self, namespace: namespace)
        let typedList = ContinuousClock.now - decodeStarted
        report.add(lists: listed, items: all.items.count, typedList: typedList)

        if watchers > 0 {
            benchLog("watch fan-out: \(BenchFormat.count(watchers)) watchers, \(watchEvents) creates \(watchIntervalMs) ms apart…")
            let watched = try await BenchLoad.watchFanOut(
                config: config, creator: admin, namespace: namespace, watchers: watchers, events: watchEvents,
                interval: .milliseconds(watchIntervalMs), deadline: .seconds(15), progress: benchLog)
            report.add(watch: watched)
        }
    }

    private func runCreatesAndGets(_ loadClients: [KubernetesClient], admin: KubernetesClient, namespace: String,
                                   into report: inout BenchReport) async throws {
        try await BenchLoad.warmUp(loadClients)
        benchLog("creating \(BenchFormat.count(creates)) pods with \(clients) clients…")
        let created = await BenchLoad.creates(loadClients, namespace: namespace, total: creates)
        report.add(creates: created)
        benchLog("  \(created.samples.count) created in \(BenchFormat.ms(created.wall.milliseconds)), \(created.errors) errors")
        if created.samples.count == 0 { throw BenchError("no pod could be created: \(created.firstError ?? "?")") }

        // One typed round trip, to check what the server stored.
        let sample = try await admin.get(Pod.self, name: BenchLoad.podName(0), namespace: namespace)
        guard sample.spec?.containers?.first?.name == "app" else {
            throw BenchError("pod \(BenchLoad.podName(0)) came back without its container")
        }

        if gets > 0 {
            benchLog("GET of pods: \(BenchFormat.count(gets)) requests from \(clients) clients…")
            let got = await BenchLoad.gets(loadClients, namespace: namespace, total: gets, population: creates)
            report.add(gets: got)
        }
    }

    static func commandLine() -> String {
        (["skiff"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
    }
}

/// Progress lines go to standard error; the report goes to standard output.
func benchLog(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
