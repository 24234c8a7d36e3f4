import APIClient
import APIModel
import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `skiff bench agent`: the node agent with real containers — creation → Running of sequential pods, 30 pods
/// created at once, and the agent's memory with them running.
///
/// Needs root and an OCI runtime. Everything runs in a network namespace of the bench's own with no route out
/// (`BenchNamespace`): a `skiff server --disable-agent` and a standalone `skiff agent` joined to it with the
/// cluster token, the image imported from `--image-archive` into the agent's store (pods use
/// `imagePullPolicy: Never`, so nothing is ever pulled).
struct AgentBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Measure the node agent with real containers (root; runs in a network namespace of its own).")

    @Option(name: .customLong("image-archive"),
            help: "Image tarball to run (docker- or oci-archive); build one with scripts/build-test-image.sh DIR.")
    var imageArchive: String

    @Option(help: "The image's reference inside the archive (a tag other than latest).")
    var image: String = "skiff.test/busybox:1.0"

    @Option(help: "Pods created one after another (each waited for until Running).")
    var sequential: Int = 30

    @Option(name: .customLong("burst"), help: "Pods created at once.")
    var burst: Int = 30

    @OptionGroup var options: BenchServerOptions

    @Option(name: .customLong("inside-namespace"), help: .hidden)
    var insideNamespace: String?

    func validate() throws {
        guard (1...1_000).contains(sequential), (1...500).contains(burst) else {
            throw ValidationError("sequential 1–1,000, burst 1–500")
        }
        if image.hasSuffix(":latest") || !image.contains(":") {
            throw ValidationError("--image needs an explicit tag other than latest")
        }
    }

    func run() async throws {
        guard getuid() == 0 else { throw BenchError("skiff bench agent runs real containers: run it as root") }
        guard let namespace = insideNamespace else {
            let archive = URL(fileURLWithPath: imageArchive).standardizedFileURL.path
            guard FileManager.default.fileExists(atPath: archive) else { throw BenchError("no image archive at \(archive)") }
            var arguments = Array(CommandLine.arguments.dropFirst())
            if let index = arguments.firstIndex(of: "--image-archive"), index + 1 < arguments.count {
                arguments[index + 1] = archive
            }
            let status = try await BenchNamespace.runInside(arguments: arguments, logPath: BenchServerProcess.inheritOutput)
            if status != 0 { throw ExitCode(status) }
            return
        }
        try BenchNamespace.checkIsolated(namespace)
        let loadBefore = BenchReport.loadAverage()
        let table = try await options.withDataDirectory("agent") { directory, logPath in
            try await measure(directory: directory, serverLog: logPath)
        }
        print("""
            ## skiff bench agent

            Command: `\(APIBenchCommand.commandLine())`
            Machine: \(BenchReport.machine()); runtime in a network namespace of the bench's own
            Load average (1/5/15 min) before: \(loadBefore), after: \(BenchReport.loadAverage())

            \(BenchFormat.table(["goal", "target", "measured", ""], table.rows))
            """)
        if options.strict && table.missed { throw ExitCode(1) }
    }

    private func measure(directory: URL, serverLog: String) async throws -> BenchTable {
        let executable = currentExecutablePath()
        let agentDirectory = directory.appendingPathComponent("agent")
        let agentLog = directory.appendingPathComponent("agent.log").path
        let import_ = try await BenchServerProcess.spawn(
            executable: executable, subcommand: ["images", "import"],
            arguments: ["--data-dir", agentDirectory.path, imageArchive], logPath: agentLog)
        guard await import_.exitStatus() == 0 else { throw BenchError("image import failed:\n\(import_.logTail())") }

        let serverDirectory = directory.appendingPathComponent("server")
        let (server, config, _) = try await BenchServerProcess.start(
            executable: executable, directory: serverDirectory, logPath: serverLog,
            arguments: ["--datastore", options.datastore])
        let token = try String(contentsOf: serverDirectory.appendingPathComponent("token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let agent = try await BenchServerProcess.spawn(
            executable: executable, subcommand: ["agent"],
            arguments: ["--server", config.server, "--token", token,
                        "--ca-file", serverDirectory.appendingPathComponent("tls/ca.crt").path,
                        "--data-dir", agentDirectory.path, "--node-name", "bench-node"],
            logPath: agentLog)
        benchLog("server pid \(server.pid), agent pid \(agent.pid)")
        var table = BenchTable()
        do {
            try await BenchLoad.withClient(config, options: .init(maxConnections: 4, requestTimeout: .seconds(60))) { admin in
                let registered = try await BenchLoad.waitForNodes(admin, count: 1)
                table.row("agent registered its node", "", BenchFormat.ms(registered.milliseconds), nil)
                let sequentialLatency = try await sequentialPods(admin)
                table.row("creation → Running p50, \(sequential) sequential pods (image present)", "≤ 300 ms",
                          BenchFormat.ms(sequentialLatency.p50), sequentialLatency.p50 <= 300)
                table.row("creation → Running p99, \(sequential) sequential pods", "≤ 1 s",
                          BenchFormat.ms(sequentialLatency.p99), sequentialLatency.p99 <= 1_000)
                let burstTime = try await burstPods(admin)
                table.row("\(burst) pods created at once: all Running", burst == 30 ? "≤ 5 s" : "",
                          BenchFormat.ms(burstTime.milliseconds), burst == 30 ? burstTime <= .seconds(5) : nil)
                if let memory = agent.memory() {
                    table.row("agent RSS with \(burst) pods running", burst == 30 ? "≤ 30 MB" : "",
                              String(format: "%.1f MB", Double(memory.rss) / 1_000_000),
                              burst == 30 ? memory.rss <= 30_000_000 : nil)
                }
                if let shared = agent.sharedMemory() {
                    // RSS counts every page of the executable the agent touched, although the server, pause and
                    // log-shim processes share them; PSS divides shared pages among the processes mapping them.
                    table.row("agent PSS / anonymous memory with \(burst) pods running", "",
                              String(format: "%.1f MB / %.1f MB", Double(shared.pss) / 1_000_000,
                                     Double(shared.anonymous) / 1_000_000), nil)
                }
                try await deleteAll(admin, namespace: Self.burstNamespace)
            }
        } catch {
            benchLog("bench failed: \(error)\nagent log tail:\n\(agent.logTail())\nserver log tail:\n\(server.logTail())")
            await agent.stop()
            await server.stop()
            throw error
        }
        await agent.stop()
        await server.stop()
        return table
    }

    static let sequentialNamespace = "bench-agent-sequential"
    static let burstNamespace = "bench-agent-burst"

    private func podJSON(name: String, namespace: String) -> Data {
        let pod: [String: Any] = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": name, "namespace": namespace],
            "spec": [
                "terminationGracePeriodSeconds": 1,
                "containers": [["name": "app", "image": image, "imagePullPolicy": "Never", "command": ["sleep", "3600"]]],
            ],
        ]
        return (try? JSONSerialization.data(withJSONObject: pod)) ?? Data()
    }

    /// Creates pods one at a time, each once the previous is Running; creation → Running of each, seen by a watch.
    private func sequentialPods(_ admin: KubernetesClient) async throws -> LatencySummary {
        let namespace = Self.sequentialNamespace
        _ = try await admin.create(Namespace(metadata: ObjectMeta(name: namespace)))
        let watch = try await PodWatch.start(admin, namespace: namespace)
        let path = ResourcePath.pods.collection(namespace: namespace)
        var samples = LatencySamples()
        benchLog("creating \(sequential) pods one after another…")
        for index in 0..<sequential {
            let name = String(format: "s-%04d", index)
            let sent = ContinuousClock.now
            let response = try await admin.request(method: "POST", path: path, body: podJSON(name: name, namespace: namespace))
            guard response.status == 201 else { throw BenchError("create \(name): HTTP \(response.status)") }
            let running = try await watch.waitUntil(count: index + 1, of: .running, timeout: .seconds(60))
            samples.add(running - sent)
        }
        watch.stop()
        try await deleteAll(admin, namespace: namespace)
        return samples.summary()
    }

    /// Creates `burst` pods at once; how long until the last is Running.
    private func burstPods(_ admin: KubernetesClient) async throws -> Duration {
        let namespace = Self.burstNamespace
        _ = try await admin.create(Namespace(metadata: ObjectMeta(name: namespace)))
        let watch = try await PodWatch.start(admin, namespace: namespace)
        let path = ResourcePath.pods.collection(namespace: namespace)
        benchLog("creating \(burst) pods at once…")
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<burst {
                let body = podJSON(name: String(format: "b-%04d", index), namespace: namespace)
                group.addTask {
                    let response = try await admin.request(method: "POST", path: path, body: body)
                    guard response.status == 201 else { throw BenchError("create: HTTP \(response.status)") }
                }
            }
            try await group.waitForAll()
        }
        let last = try await watch.waitUntil(count: burst, of: .running, timeout: .seconds(120))
        watch.stop()
        return last - started
    }

    /// Deletes the namespace's pods and waits until the agent has finished every deletion.
    private func deleteAll(_ admin: KubernetesClient, namespace: String) async throws {
        let path = ResourcePath.pods.collection(namespace: namespace)
        _ = try await admin.request(method: "DELETE", path: path)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if try await admin.listItems(Pod.self, namespace: namespace).items.isEmpty { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchError("pods in \(namespace) were not deleted within 60 s")
    }
}
