import APIClient
import APIModel
import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Options of the benches that run a real node: the image to run and the hidden marker of the run inside the
/// bench's own network namespace.
struct RealNodeBenchOptions: ParsableArguments {
    @Option(name: .customLong("image-archive"),
            help: "Image tarball to run (docker- or oci-archive); build one with scripts/build-test-image.sh DIR.")
    var imageArchive: String

    @Option(help: "The image's reference inside the archive (a tag other than latest).")
    var image: String = "skiff.test/busybox:1.0"

    @Option(name: .customLong("inside-namespace"), help: .hidden)
    var insideNamespace: String?

    func validate() throws {
        if image.hasSuffix(":latest") || !image.contains(":") {
            throw ValidationError("--image needs an explicit tag other than latest")
        }
    }
}

/// A bench against a real node: root and an OCI runtime needed; everything runs in a network namespace of the
/// bench's own with no route out (`BenchNamespace`): a `skiff server --disable-agent` and a standalone
/// `skiff agent` joined to it with the cluster token, the image imported from `--image-archive` into the agent's
/// store (pods use `imagePullPolicy: Never`, so nothing is ever pulled).
enum RealNodeBench {
    /// Outside the namespace: makes it and runs this command again inside. Inside: starts the server and the
    /// agent, waits for the node, runs `body`, stops both and prints the report.
    static func run(_ name: String, node: RealNodeBenchOptions, options: BenchServerOptions,
                    _ body: (_ admin: KubernetesClient, _ agent: BenchServerProcess, inout BenchTable) async throws -> Void)
        async throws {
        guard getuid() == 0 else { throw BenchError("skiff bench \(name) runs real containers: run it as root") }
        guard let namespace = node.insideNamespace else {
            let archive = URL(fileURLWithPath: node.imageArchive).standardizedFileURL.path
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
        let table = try await options.withDataDirectory(name) { directory, logPath in
            try await measure(node: node, options: options, directory: directory, serverLog: logPath, body)
        }
        print("""
            ## skiff bench \(name)

            Command: `\(APIBenchCommand.commandLine())`
            Machine: \(BenchReport.machine()); a real node in a network namespace of the bench's own
            Load average (1/5/15 min) before: \(loadBefore), after: \(BenchReport.loadAverage())

            \(BenchFormat.table(["goal", "target", "measured", ""], table.rows))
            """)
        if options.strict && table.missed { throw ExitCode(1) }
    }

    private static func measure(node: RealNodeBenchOptions, options: BenchServerOptions, directory: URL, serverLog: String,
                                _ body: (KubernetesClient, BenchServerProcess, inout BenchTable) async throws -> Void)
        async throws -> BenchTable {
        let executable = currentExecutablePath()
        let agentDirectory = directory.appendingPathComponent("agent")
        let agentLog = directory.appendingPathComponent("agent.log").path
        let importing = try await BenchServerProcess.spawn(
            executable: executable, subcommand: ["images", "import"],
            arguments: ["--data-dir", agentDirectory.path, node.imageArchive], logPath: agentLog)
        guard await importing.exitStatus() == 0 else { throw BenchError("image import failed:\n\(importing.logTail())") }

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
            try await BenchLoad.withClient(config, options: .init(maxConnections: 8, requestTimeout: .seconds(60))) { admin in
                let registered = try await BenchLoad.waitForNodes(admin, count: 1)
                table.row("agent registered its node", "", BenchFormat.ms(registered.milliseconds), nil)
                try await body(admin, agent, &table)
                try await deleteAllPods(admin)
            }
        } catch {
            benchLog("bench failed: \(error)\nagent log tail:\n\(agent.logTail())\nserver log tail:\n\(server.logTail())")
            try? await BenchLoad.withClient(config, options: .init(maxConnections: 2, requestTimeout: .seconds(10))) {
                try await deleteAllPods($0)
            }
            await agent.stop()
            await server.stop()
            throw error
        }
        await agent.stop()
        await server.stop()
        return table
    }

    /// Deletes every pod and waits (up to 60 s) until the agent has finished them: a stopped agent leaves its
    /// containers running (the next one adopts them), and the bench's data directory goes with it.
    private static func deleteAllPods(_ admin: KubernetesClient) async throws {
        for pod in try await admin.listItems(Pod.self).items {
            _ = try? await admin.request(method: "DELETE",
                                         path: ResourcePath.pods.object(pod.metadata?.name ?? "", namespace: pod.metadata?.namespace))
        }
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if try await admin.listItems(Pod.self).items.isEmpty { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw BenchError("pods were not deleted within 60 s; containers may be left running")
    }
}
