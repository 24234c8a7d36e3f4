import APIClient
import APIModel
import Foundation
import Synchronization

/// A watch read by a bench: each line is decoded into `Line` (a small Decodable holding only the facts the
/// bench needs) and folded into `State` with the instant it arrived. The bench polls the state.
final class BenchWatch<Line: Decodable & Sendable, State: Sendable>: Sendable {
    private let state: Mutex<State>
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)

    private init(_ initial: State) { state = Mutex(initial) }

    /// Starts watching `path` (a collection path; `?watch=true&resourceVersion=0` is added, so the watch
    /// begins with the objects that already exist).
    static func start(_ client: KubernetesClient, path: String, initial: State,
                      fold: @escaping @Sendable (inout State, Line, ContinuousClock.Instant) -> Void) async throws -> BenchWatch {
        let watch = BenchWatch(initial)
        let lines = try await client.watchLines(path: path + "?watch=true&resourceVersion=0")
        let task = Task {
            let decoder = JSONDecoder()
            do {
                for try await line in lines {
                    let now = ContinuousClock.now
                    guard let decoded = try? decoder.decode(Line.self, from: line) else { continue }
                    watch.state.withLock { fold(&$0, decoded, now) }
                }
            } catch {}
        }
        watch.task.withLock { $0 = task }
        return watch
    }

    func read<T: Sendable>(_ body: (State) -> T) -> T { state.withLock { body($0) } }

    /// Polls the state every 20 ms until `done` returns a value; throws `failure(state)` after `timeout`.
    func wait<T: Sendable>(timeout: Duration, failure: (State) -> String, until done: (State) -> T?) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let value = read(done) { return value }
            try await Task.sleep(for: .milliseconds(20))
        }
        if let value = read(done) { return value }
        throw BenchError(read(failure))
    }

    func stop() {
        task.withLock { $0?.cancel() }
    }
}

/// A watch of one namespace's pods noting when each is first seen bound and Running.
struct PodWatch: Sendable {
    enum Milestone { case bound, running }

    struct Line: Decodable {
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

    struct Times: Sendable {
        var bound: [String: ContinuousClock.Instant] = [:]
        var running: [String: ContinuousClock.Instant] = [:]

        subscript(milestone: Milestone) -> [String: ContinuousClock.Instant] { milestone == .bound ? bound : running }
    }

    private let watch: BenchWatch<Line, Times>

    static func start(_ client: KubernetesClient, namespace: String) async throws -> PodWatch {
        PodWatch(watch: try await BenchWatch.start(client, path: ResourcePath.pods.collection(namespace: namespace),
                                                   initial: Times()) { times, line, now in
            guard let name = line.object?.metadata?.name else { return }
            if !(line.object?.spec?.nodeName ?? "").isEmpty, times.bound[name] == nil { times.bound[name] = now }
            if line.object?.status?.phase == "Running", times.running[name] == nil { times.running[name] = now }
        })
    }

    func times(of milestone: Milestone) -> [String: ContinuousClock.Instant] { watch.read { $0[milestone] } }

    /// Waits until `count` pods reached the milestone; returns when the last one did.
    func waitUntil(count: Int, of milestone: Milestone, timeout: Duration) async throws -> ContinuousClock.Instant {
        try await watch.wait(timeout: timeout,
                             failure: { "only \($0[milestone].count) of \(count) pods were \(milestone) within \(timeout)" },
                             until: { $0[milestone].count >= count ? $0[milestone].values.max() : nil })
    }

    func stop() { watch.stop() }
}

/// A watch of one namespace's Deployments noting, for each, when it was first seen complete at a
/// generation: the status observed that generation, and `replicas`, `updatedReplicas` and
/// `availableReplicas` all equal `spec.replicas` (no old pods left), with the Available condition True —
/// what `kubectl rollout status` waits for, plus the condition.
struct DeploymentWatch: Sendable {
    struct Line: Decodable {
        struct Object: Decodable {
            struct Meta: Decodable { var name: String?; var generation: Int64? }
            struct Spec: Decodable { var replicas: Int32? }
            struct Condition: Decodable { var type: String?; var status: String? }
            struct Status: Decodable {
                var observedGeneration: Int64?
                var replicas: Int32?
                var updatedReplicas: Int32?
                var availableReplicas: Int32?
                var conditions: [Condition]?
            }
            var metadata: Meta?
            var spec: Spec?
            var status: Status?

            var isComplete: Bool {
                guard let generation = metadata?.generation, let status,
                      (status.observedGeneration ?? 0) >= generation else { return false }
                let wanted = spec?.replicas ?? 1
                return status.replicas ?? 0 == wanted && status.updatedReplicas ?? 0 == wanted
                    && status.availableReplicas ?? 0 == wanted
                    && status.conditions?.contains { $0.type == "Available" && $0.status == "True" } == true
            }
        }
        var object: Object?
    }

    /// Per Deployment, the latest generation seen complete and when it first was.
    typealias Completions = [String: (generation: Int64, at: ContinuousClock.Instant)]

    private let watch: BenchWatch<Line, Completions>

    static func start(_ client: KubernetesClient, namespace: String) async throws -> DeploymentWatch {
        DeploymentWatch(watch: try await BenchWatch.start(client, path: ResourcePath.deployments.collection(namespace: namespace),
                                                          initial: Completions()) { completions, line, now in
            guard let object = line.object, let name = object.metadata?.name, let generation = object.metadata?.generation,
                  object.isComplete, (completions[name]?.generation ?? 0) < generation else { return }
            completions[name] = (generation, now)
        })
    }

    /// When each Deployment was first seen complete at `generation` or later.
    func completions(atLeast generation: Int64) -> [String: ContinuousClock.Instant] {
        watch.read { $0.compactMapValues { $0.generation >= generation ? $0.at : nil } }
    }

    /// Waits until `count` Deployments are complete at `generation` or later; returns when the last one was.
    func waitUntil(count: Int, generation: Int64 = 1, timeout: Duration) async throws -> ContinuousClock.Instant {
        try await watch.wait(
            timeout: timeout,
            failure: { completions in
                let done = completions.values.filter { $0.generation >= generation }.count
                return "only \(done) of \(count) Deployments were complete at generation \(generation) within \(timeout)"
            },
            until: { completions in
                let done = completions.values.filter { $0.generation >= generation }
                return done.count >= count ? done.map(\.at).max() : nil
            })
    }

    func stop() { watch.stop() }
}
