import APIClient
import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A `skiff server` child process started by `skiff bench`, stopped by its PID.
///
/// Safety nets so the bench never leaves a server behind: the child runs under `setpriv --pdeathsig TERM`
/// when `setpriv` exists (it gets SIGTERM if the bench dies, even by SIGKILL), every live child is listed
/// in `BenchChildren` so the bench's SIGINT/SIGTERM/SIGHUP handlers and its time-limit watchdog stop it,
/// and `stop()` escalates to SIGKILL.
struct BenchServerProcess: Sendable {
    let pid: pid_t
    let spawnedAt: ContinuousClock.Instant
    let logPath: String

    /// `logPath` meaning: keep this process's stdout and stderr.
    static let inheritOutput = "-"

    /// Starts `executable <subcommand> <arguments>` (`skiff server --disable-agent` by default) with stdout and
    /// stderr appended to `logPath` (or this process's own, for `inheritOutput`).
    ///
    /// The parent-death signal fires when the spawning *thread* exits, not the process: Swift's task threads
    /// (and, under `dispatch_main`, even the main actor's) come and go, so the spawn runs on
    /// `BenchSpawnThread`, a thread that lives as long as the bench.
    /// The benchmark's servers never run containers (the embedded agent would change the host's network).
    static func spawn(executable: String, subcommand: [String] = ["server", "--disable-agent"], arguments: [String],
                      logPath: String) async throws -> BenchServerProcess {
        try await BenchSpawnThread.shared.run {
            try spawnOnThisThread(executable: executable, arguments: subcommand + arguments, logPath: logPath)
        }
    }

    private static func spawnOnThisThread(executable: String, arguments: [String], logPath: String) throws -> BenchServerProcess {
        var argv = [executable] + arguments
        var program = executable
        if let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            argv = [setpriv, "--pdeathsig", "TERM", "--"] + argv
            program = setpriv
        }
        let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        let cArgv = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup($0) } + [nil]
        defer {
            cArgv.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if logPath != Self.inheritOutput {
            posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        var pid: pid_t = 0
        let started = ContinuousClock.now
        let rc = cArgv.withUnsafeBufferPointer { argvBuffer in
            cEnv.withUnsafeBufferPointer { envBuffer in
                posix_spawn(&pid, program, &actions, nil, argvBuffer.baseAddress!, envBuffer.baseAddress!)
            }
        }
        guard rc == 0 else { throw BenchError("cannot start \(program): \(String(cString: strerror(rc)))") }
        BenchChildren.shared.add(pid)
        return BenchServerProcess(pid: pid, spawnedAt: started, logPath: logPath)
    }

    /// Whether the process has exited (reaping it if so).
    func hasExited() -> Bool {
        var status: Int32 = 0
        let rc = waitpid(pid, &status, WNOHANG)
        if rc == pid || (rc < 0 && errno == ECHILD) {
            BenchChildren.shared.remove(pid)
            return true
        }
        return false
    }

    /// Sends SIGTERM and waits up to `grace` for the process to exit, then SIGKILLs it. Returns how long the
    /// graceful stop took, or nil when it had to be killed.
    @discardableResult
    func stop(grace: Duration = .seconds(15)) async -> Duration? {
        if hasExited() { return .zero }
        let started = ContinuousClock.now
        kill(pid, SIGTERM)
        while ContinuousClock.now - started < grace {
            if hasExited() { return ContinuousClock.now - started }
            try? await Task.sleep(for: .milliseconds(5))
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        BenchChildren.shared.remove(pid)
        return nil
    }

    /// Waits for the process to exit by itself (polling, so other tasks go on) and returns its exit status
    /// (128 + signal when a signal ended it).
    func exitStatus() async -> Int32 {
        while true {
            var status: Int32 = 0
            let rc = waitpid(pid, &status, WNOHANG)
            if rc == pid {
                BenchChildren.shared.remove(pid)
                let signal = status & 0x7f
                return signal == 0 ? (status >> 8) & 0xff : 128 + signal
            }
            if rc < 0 { return -1 }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Resident and peak resident memory (VmRSS, VmHWM) in bytes, from /proc/<pid>/status.
    func memory() -> (rss: Int, peak: Int)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        func field(_ name: String) -> Int? {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return nil }
            let number = line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first
            return number.flatMap { Int($0) }.map { $0 * 1024 }
        }
        guard let rss = field("VmRSS") else { return nil }
        return (rss, field("VmHWM") ?? rss)
    }

    /// The process's proportional share of its resident pages (Pss, shared pages divided among the processes
    /// mapping them) and its anonymous resident memory (RssAnon), in bytes.
    func sharedMemory() -> (pss: Int, anonymous: Int)? {
        func field(_ file: String, _ name: String) -> Int? {
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/\(file)", encoding: .utf8),
                  let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return nil }
            let number = line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first
            return number.flatMap { Int($0) }.map { $0 * 1024 }
        }
        guard let pss = field("smaps_rollup", "Pss"), let anonymous = field("status", "RssAnon") else { return nil }
        return (pss, anonymous)
    }

    /// Last `lines` lines of the server's log, for error messages.
    func logTail(_ lines: Int = 20) -> String {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return "" }
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}

/// A thread that never exits and runs the jobs given to it, one at a time.
final class BenchSpawnThread: Sendable {
    static let shared = BenchSpawnThread()
    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let wake = DispatchSemaphore(value: 0)

    private init() {
        let thread = Thread { [self] in
            while true {
                wake.wait()
                let pending = jobs.withLock { list in
                    defer { list.removeAll() }
                    return list
                }
                for job in pending { job() }
            }
        }
        thread.name = "skiff-bench-spawn"
        thread.start()
    }

    /// Runs `body` on the thread and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            jobs.withLock { $0.append { continuation.resume(with: Result { try body() }) } }
            wake.signal()
        }
    }
}

/// Every server child still running, so signal handlers and the watchdog can stop them.
final class BenchChildren: Sendable {
    static let shared = BenchChildren()
    private let pids = Mutex<Set<pid_t>>([])
    private let sources = Mutex<[any DispatchSourceSignal]>([])

    func add(_ pid: pid_t) { pids.withLock { _ = $0.insert(pid) } }
    func remove(_ pid: pid_t) { pids.withLock { _ = $0.remove(pid) } }

    /// SIGTERM to every child, up to 5 s for them to exit, then SIGKILL. Blocking; for exit paths.
    func stopAll() {
        let live = pids.withLock { $0 }
        for pid in live { kill(pid, SIGTERM) }
        let deadline = ContinuousClock.now + .seconds(5)
        var remaining = live
        while !remaining.isEmpty && ContinuousClock.now < deadline {
            remaining = remaining.filter { pid in
                var status: Int32 = 0
                let rc = waitpid(pid, &status, WNOHANG)
                return !(rc == pid || (rc < 0 && errno == ECHILD))
            }
            if !remaining.isEmpty { usleep(10_000) }
        }
        for pid in remaining {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        pids.withLock { $0.removeAll() }
    }

    /// On SIGINT, SIGTERM or SIGHUP: stop the children and exit with 128+signal.
    func installSignalHandlers() {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber, SIG_IGN)
            sources.withLock { list in
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler { [self] in
                    FileHandle.standardError.write(Data("skiff bench: signal \(signalNumber), stopping the server\n".utf8))
                    stopAll()
                    exit(128 + signalNumber)
                }
                source.resume()
                list.append(source)
            }
        }
    }

    /// After `limit`, stop the children and exit with status 3.
    func startWatchdog(limit: Duration) {
        Task.detached { [self] in
            try? await Task.sleep(for: limit)
            FileHandle.standardError.write(Data("skiff bench: time limit of \(limit) reached, stopping the server\n".utf8))
            stopAll()
            exit(3)
        }
    }
}

/// Raises this process's soft open-file limit to at least `needed` (up to the hard limit); the server
/// child inherits it. Returns the soft limit in force afterwards.
func raiseOpenFileLimit(to needed: Int) -> Int {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
    if limit.rlim_cur < rlim_t(needed) {
        limit.rlim_cur = min(limit.rlim_max, rlim_t(needed))
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
    return Int(limit.rlim_cur)
}

/// The path of the running executable.
func currentExecutablePath() -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    if count > 0 { return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
    return CommandLine.arguments[0]
}

/// A failure of the bench itself, with a message for the user.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension BenchServerProcess {
    /// Spawns `skiff server` on port 0 on loopback (with `extra` arguments), waits for its kubeconfig (written once it listens), then polls /readyz.
    static func start(executable: String, directory: URL, logPath: String, arguments extra: [String]) async throws
        -> (BenchServerProcess, KubeConfig, Duration)
    {
        let kubeconfigURL = directory.appendingPathComponent("kubeconfig.yaml")
        try? FileManager.default.removeItem(at: kubeconfigURL)
        let process = try await BenchServerProcess.spawn(
            executable: executable,
            arguments: ["--data-dir", directory.path, "--https-listen-port", "0", "--bind-address", "127.0.0.1"] + extra,
            logPath: logPath)
        let deadline = ContinuousClock.now + .seconds(60)
        var config: KubeConfig?
        while config == nil {
            if process.hasExited() { throw BenchError("the server exited during start:\n\(process.logTail())") }
            if ContinuousClock.now > deadline {
                await process.stop()
                throw BenchError("the server wrote no kubeconfig within 60 s:\n\(process.logTail())")
            }
            config = try? KubeConfig.load(contentsOf: kubeconfigURL)
            if config == nil { try await Task.sleep(for: .milliseconds(1)) }
        }
        guard let config, config.server.hasPrefix("https://127.0.0.1:") else {
            await process.stop()
            throw BenchError("the server is not on loopback: \(config?.server ?? "?")")
        }
        let options = KubernetesClient.Options(maxConnections: 1, requestTimeout: .seconds(2), connectTimeout: .seconds(2))
        let ready = try await BenchLoad.withClient(config, options: options) { probe -> Duration? in
            while true {
                if let response = try? await probe.request(method: "GET", path: "/readyz", accept: nil), response.status == 200 {
                    return ContinuousClock.now - process.spawnedAt
                }
                if process.hasExited() || ContinuousClock.now > deadline { return nil }
                try await Task.sleep(for: .milliseconds(2))
            }
        }
        guard let ready else {
            await process.stop()
            throw BenchError("/readyz did not answer 200 within 60 s:\n\(process.logTail())")
        }
        return (process, config, ready)
    }
}
