import APIClient
import ArgumentParser
import Foundation

/// Options every bench takes about the `skiff server` it starts and about the run.
struct BenchServerOptions: ParsableArguments {
    @Option(help: "Datastore of the server under test: sqlite or memory.")
    var datastore: String = "sqlite"

    @Option(name: .customLong("time-limit"), help: "Seconds after which the bench stops the server and exits (status 3).")
    var timeLimit: Int = 900

    @Flag(name: .customLong("keep-data"), help: "Keep the temporary data directory (database, certificates, server log); a failed run keeps it anyway.")
    var keepData = false

    @Flag(help: "Exit with status 1 when a target is missed.")
    var strict = false

    func validate() throws {
        guard timeLimit >= 10 else { throw ValidationError("--time-limit is at least 10 seconds") }
        guard datastore == "sqlite" || datastore == "memory" else { throw ValidationError("--datastore is sqlite or memory") }
    }
}

/// The rows of a bench's report: goal, target, what was measured, and whether the target was met.
struct BenchTable {
    private(set) var rows: [[String]] = []
    private(set) var missed = false

    /// A row; `met` nil for a figure without a target.
    mutating func row(_ goal: String, _ target: String, _ measured: String, _ met: Bool?) {
        rows.append([goal, target, measured, met.map { $0 ? "met" : "MISSED" } ?? ""])
        if met == false { missed = true }
    }
}

/// One run of a bench against a fresh `skiff server --simulated-nodes N` on loopback.
enum SimulatedBench {
    /// Starts the server in a temporary data directory (`skiff-bench-<name>-<pid>`), runs `body`, stops the
    /// server, and prints the report: the command, the machine, the load average and `body`'s table. Exits with
    /// status 1 when `--strict` and a target was missed. On failure it prints the tail of the server's log and
    /// keeps the data directory.
    static func run(_ name: String, nodes: Int, clients: Int, options: BenchServerOptions,
                    _ body: (BenchServerProcess, KubeConfig, inout BenchTable) async throws -> Void) async throws {
        _ = raiseOpenFileLimit(to: 4 * clients + 256)
        let loadBefore = BenchReport.loadAverage()
        let table = try await options.withDataDirectory(name) { directory, logPath in
            try await measure(nodes: nodes, options: options, directory: directory, logPath: logPath, body)
        }
        print("""
            ## skiff bench \(name)

            Command: `\(APIBenchCommand.commandLine())`
            Machine: \(BenchReport.machine())
            Load average (1/5/15 min) before: \(loadBefore), after: \(BenchReport.loadAverage())

            \(BenchFormat.table(["goal", "target", "measured", ""], table.rows))
            """)
        if options.strict && table.missed { throw ExitCode(1) }
    }

    private static func measure(nodes: Int, options: BenchServerOptions, directory: URL, logPath: String,
                                _ body: (BenchServerProcess, KubeConfig, inout BenchTable) async throws -> Void) async throws -> BenchTable {
        let (server, config, _) = try await BenchServerProcess.start(
            executable: currentExecutablePath(), directory: directory, logPath: logPath,
            arguments: ["--datastore", options.datastore, "--simulated-nodes", String(nodes)])
        benchLog("server pid \(server.pid)")
        var table = BenchTable()
        do {
            try await body(server, config, &table)
        } catch {
            benchLog("bench failed: \(error)\nserver log tail:\n\(server.logTail())")
            await server.stop()
            throw error
        }
        await server.stop()
        return table
    }
}

extension BenchServerOptions {
    /// Sets a bench run up: signal handlers and the `--time-limit` watchdog, then a fresh temporary data directory
    /// (`skiff-bench[-name]-<pid>`) and the path of the server's log in it. Runs `body` with them, stops any server
    /// left, and removes the directory when `body` succeeded, unless `--keep-data`.
    func withDataDirectory<T>(_ name: String?, _ body: (_ directory: URL, _ logPath: String) async throws -> T) async throws -> T {
        BenchChildren.shared.installSignalHandlers()
        BenchChildren.shared.startWatchdog(limit: .seconds(timeLimit))
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent(["skiff-bench", name, String(getpid())].compactMap { $0 }.joined(separator: "-"))
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let logPath = directory.appendingPathComponent("server.log").path
        benchLog("skiff bench\(name.map { " " + $0 } ?? ""): data directory \(directory.path), server log \(logPath)")
        var succeeded = false
        defer {
            BenchChildren.shared.stopAll()
            if succeeded && !keepData { try? FileManager.default.removeItem(at: directory) }
        }
        let result = try await body(directory, logPath)
        succeeded = true
        return result
    }
}
