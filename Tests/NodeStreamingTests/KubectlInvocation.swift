import Foundation
import Synchronization

/// How the tests run kubectl against a harness: the executable (`version` picks `kubectl.<version>` of the
/// Google Cloud SDK, else the one on PATH) and leading arguments naming a kubeconfig (bearer token,
/// namespace default) and cache in a temporary directory, removed by `cleanUp`.
struct KubectlInvocation {
    static let defaultPath: String? = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static func path(version: String) -> String { "/usr/lib/google-cloud-sdk/bin/kubectl.\(version)" }

    let executable: String
    let leadingArguments: [String]
    private let directory: URL

    init(_ harness: StreamingHarness, version: String? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-kubectl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let kubeconfig = directory.appendingPathComponent("config")
        try """
        apiVersion: v1
        kind: Config
        clusters: [{name: skiff, cluster: {server: "\(harness.apiURL)", certificate-authority-data: "\(Data(harness.caCertificatePEM.utf8).base64EncodedString())"}}]
        users: [{name: tester, user: {token: "\(StreamingHarness.token)"}}]
        contexts: [{name: skiff, context: {cluster: skiff, user: tester, namespace: default}}]
        current-context: skiff
        """.write(to: kubeconfig, atomically: true, encoding: .utf8)
        executable = version.map(Self.path(version:)) ?? Self.defaultPath ?? "kubectl"
        leadingArguments = ["--kubeconfig", kubeconfig.path, "--cache-dir", directory.appendingPathComponent("cache").path]
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A kubectl that keeps running (`port-forward`) while a test talks to it: its output is collected, and it
/// is terminated by `stop` (by its own PID).
final class KubectlProcess: Sendable {
    private let process: Process
    private let invocation: KubectlInvocation
    private let collected = Mutex("")

    private init(process: Process, invocation: KubectlInvocation) {
        self.process = process
        self.invocation = invocation
    }

    static func start(_ harness: StreamingHarness, _ arguments: [String], version: String? = nil,
                      environment: [String: String] = [:]) throws -> KubectlProcess {
        let invocation = try KubectlInvocation(harness, version: version)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: invocation.executable)
        process.arguments = invocation.leadingArguments + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let running = KubectlProcess(process: process, invocation: invocation)
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil }
            running.collected.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        return running
    }

    /// Everything printed so far (stdout and stderr).
    func output() -> String { collected.withLock { $0 } }

    /// The first output line containing `text`; throws if none appears within `timeout` or kubectl exits.
    func waitForLine(containing text: String, timeout: Duration = .seconds(20)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = output().split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw KubectlProcessError(output: output())
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        invocation.cleanUp()
    }

    struct KubectlProcessError: Error, CustomStringConvertible {
        var output: String
        var description: String { "kubectl did not print the expected line: \(output)" }
    }
}
