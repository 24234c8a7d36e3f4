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
/// A real node as `RealNodeBench` sets it up (root; a network namespace of the bench's own).
struct AgentBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Measure the node agent with real containers (root; runs in a network namespace of its own).")

    @OptionGroup var node: RealNodeBenchOptions

    @Option(help: "Pods created one after another (each waited for until Running).")
    var sequential: Int = 30

    @Option(name: .customLong("burst"), help: "Pods created at once.")
    var burst: Int = 30

    @OptionGroup var options: BenchServerOptions

    func validate() throws {
        guard (1...1_000).contains(sequential), (1...500).contains(burst) else {
            throw ValidationError("sequential 1–1,000, burst 1–500")
        }
    }

    func run() async throws {
        try await RealNodeBench.run("agent", node: node, options: options) { admin, agent, table in
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
    }

    static let sequentialNamespace = "bench-agent-sequential"
    static let burstNamespace = "bench-agent-burst"

    private func podJSON(name: String, namespace: String) -> Data {
        let pod: [String: Any] = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": name, "namespace": namespace],
            "spec": [
                "terminationGracePeriodSeconds": 1,
                "containers": [["name": "app", "image": node.image, "imagePullPolicy": "Never", "command": ["sleep", "3600"]]],
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
