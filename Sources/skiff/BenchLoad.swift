import APIClient
import APIModel
import Foundation

/// What a load phase measured.
struct PhaseResult: Sendable {
    var samples = LatencySamples()
    var errors = 0
    var firstError: String?
    var wall: Duration = .zero
    var bytes = 0

    mutating func fail(_ message: String) {
        errors += 1
        if firstError == nil { firstError = message }
    }

    mutating func merge(_ other: PhaseResult) {
        samples.merge(other.samples)
        errors += other.errors
        if firstError == nil { firstError = other.firstError }
        bytes += other.bytes
    }
}

/// What the watch fan-out measured.
struct WatchResult: Sendable {
    var watchers = 0
    var established = 0
    var establishErrors: [String] = []
    var establishTime: Duration = .zero
    var events = 0
    var createErrors = 0
    var firstCreateError: String?
    /// create acknowledged → event received, one sample per (watcher, event) pair received.
    var latency = LatencySamples()
    /// Pairs whose event arrived before the create's response (counted as 0 ms).
    var beforeAck = 0
    /// Pairs never received within the deadline.
    var missing = 0
    var streamErrors = 0
    var firstStreamError: String?
}

/// The load phases of `skiff bench`. Hot loops send pre-encoded JSON through `KubernetesClient.request` and
/// check only the status, so client-side decoding does not steal CPU from the server (both share the
/// machine's cores); typed calls are used around them.
enum BenchLoad {
    static let podPrefix = "bench-"
    static let watchPodPrefix = "bench-watch-"

    static func podName(_ index: Int) -> String { podPrefix + String(format: "%05d", index) }
    static func watchPodName(_ index: Int) -> String { watchPodPrefix + String(format: "%05d", index) }

    /// A small valid pod, for a scheduler nobody runs: the API bench measures the API server, not the embedded
    /// scheduler writing 10,000 FailedScheduling statuses and events on a server without nodes.
    static func podJSON(name: String, namespace: String) -> Data {
        Data(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)","namespace":"\#(namespace)","labels":{"app":"skiff-bench"}},"spec":{"schedulerName":"skiff-bench-unscheduled","containers":[{"name":"app","image":"registry.k8s.io/pause:3.10"}]}}"#.utf8)
    }

    /// Waits until `count` nodes are registered; returns how long that took.
    static func waitForNodes(_ admin: KubernetesClient, count: Int) async throws -> Duration {
        let started = ContinuousClock.now
        while true {
            let response = try await admin.request(method: "GET", path: "/api/v1/nodes?limit=1&labelSelector=node.skiff.dev%2Fsimulated")
            if response.isSuccess, let list = try? JSONDecoder().decode(ObjectList<Node>.self, from: response.body),
               let remaining = list.metadata?.remainingItemCount.map({ Int($0) + (list.items?.count ?? 0) }) ?? list.items?.count,
               remaining >= count {
                return ContinuousClock.now - started
            }
            let all = try await admin.listItems(Node.self)
            if all.items.count >= count { return ContinuousClock.now - started }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// `count` clients with `connections` connections each.
    static func makeClients(_ config: KubeConfig, count: Int, connections: Int) throws -> [KubernetesClient] {
        try (0..<count).map { _ in
            try KubernetesClient(config: config, options: .init(maxConnections: connections, requestTimeout: .seconds(60)))
        }
    }

    /// Runs `body` with a new client, shutting the client down afterwards whatever happens.
    static func withClient<T>(_ config: KubeConfig, options: KubernetesClient.Options,
                              _ body: (KubernetesClient) async throws -> T) async throws -> T {
        let client = try KubernetesClient(config: config, options: options)
        do {
            let result = try await body(client)
            try? await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Shuts the clients down, all at once (a client whose watches were just cancelled can take a few
    /// seconds to close their TLS connections).
    static func shutdown(_ clients: [KubernetesClient]) async {
        await withTaskGroup(of: Void.self) { group in
            for client in clients { group.addTask { try? await client.shutdown() } }
        }
    }

    /// One request per client so every connection is open (TLS done) before timing starts.
    static func warmUp(_ clients: [KubernetesClient]) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in clients {
                group.addTask {
                    let response = try await client.request(method: "GET", path: "/readyz", accept: nil)
                    guard response.status == 200 else { throw BenchError("warm-up /readyz answered \(response.status)") }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Runs `total` operations spread round-robin over `clients`, all clients at once.
    static func concurrently(_ clients: [KubernetesClient], total: Int,
                             _ operation: @escaping @Sendable (KubernetesClient, Int) async -> (Duration?, String?, Int)) async -> PhaseResult {
        let started = ContinuousClock.now
        var result = await withTaskGroup(of: PhaseResult.self) { group in
            for (c, client) in clients.enumerated() {
                group.addTask {
                    var local = PhaseResult()
                    local.samples = LatencySamples()
                    for index in stride(from: c, to: total, by: clients.count) {
                        let (duration, error, bytes) = await operation(client, index)
                        if let duration { local.samples.add(duration) }
                        if let error { local.fail(error) }
                        local.bytes += bytes
                    }
                    return local
                }
            }
            var merged = PhaseResult()
            for await part in group { merged.merge(part) }
            return merged
        }
        result.wall = ContinuousClock.now - started
        return result
    }

    /// Creates pods `bench-00000`… in `namespace`.
    static func creates(_ clients: [KubernetesClient], namespace: String, total: Int) async -> PhaseResult {
        let path = ResourcePath.pods.collection(namespace: namespace)
        return await concurrently(clients, total: total) { client, index in
            let body = podJSON(name: podName(index), namespace: namespace)
            let started = ContinuousClock.now
            do {
                let response = try await client.request(method: "POST", path: path, body: body)
                let elapsed = ContinuousClock.now - started
                if response.status == 201 { return (elapsed, nil, response.body.count) }
                return (nil, "create \(podName(index)): HTTP \(response.status) \(String(decoding: response.body.prefix(300), as: UTF8.self))", 0)
            } catch {
                return (nil, "create \(podName(index)): \(error)", 0)
            }
        }
    }

    /// GETs pseudo-random pods among the first `population`.
    static func gets(_ clients: [KubernetesClient], namespace: String, total: Int, population: Int) async -> PhaseResult {
        await concurrently(clients, total: total) { client, index in
            // A fixed multiplicative hash spreads requests over the pods, the same on every run.
            let pod = podName(Int((UInt64(index) &* 2_654_435_761) % UInt64(max(1, population))))
            let path = ResourcePath.pods.object(pod, namespace: namespace)
            let started = ContinuousClock.now
            do {
                let response = try await client.request(method: "GET", path: path)
                let elapsed = ContinuousClock.now - started
                if response.status == 200 { return (elapsed, nil, response.body.count) }
                return (nil, "get \(pod): HTTP \(response.status)", 0)
            } catch {
                return (nil, "get \(pod): \(error)", 0)
            }
        }
    }

    /// LISTs the namespace's pods `times` times in a row (JSON, no Table), timing each until the whole body is in.
    static func lists(_ client: KubernetesClient, namespace: String, times: Int) async -> PhaseResult {
        var result = PhaseResult()
        let path = ResourcePath.pods.collection(namespace: namespace)
        let started = ContinuousClock.now
        for _ in 0..<times {
            let begin = ContinuousClock.now
            do {
                let response = try await client.request(method: "GET", path: path)
                let elapsed = ContinuousClock.now - begin
                if response.status == 200 {
                    result.samples.add(elapsed)
                    result.bytes = response.body.count
                } else {
                    result.fail("list: HTTP \(response.status)")
                }
            } catch {
                result.fail("list: \(error)")
            }
        }
        result.wall = ContinuousClock.now - started
        return result
    }

    /// The watch fan-out: `watchers` watches of the namespace's pods from the current resourceVersion, each on
    /// its own connection (spread over several clients), then `events` pods created one at a time,
    /// `interval` apart; per watcher, the time from each create's response to the watcher reading its event.
    static func watchFanOut(config: KubeConfig, creator: KubernetesClient, namespace: String, watchers: Int,
                            events: Int, interval: Duration, deadline: Duration,
                            progress: @escaping @Sendable (String) -> Void) async throws -> WatchResult {
        var result = WatchResult()
        result.watchers = watchers
        result.events = events
        let resourceVersion = try await creator.listItems(Pod.self, namespace: namespace, options: ListOptions(limit: 1)).resourceVersion ?? ""
        let path = ResourcePath.pods.collection(namespace: namespace)
            + "?watch=true&resourceVersion=\(resourceVersion)&timeoutSeconds=600"

        let clientCount = min(max(1, watchers), 8)
        let perClient = (watchers + clientCount - 1) / clientCount
        let clients = try makeClients(config, count: clientCount, connections: perClient + 1)

        // 1. Open every watch; each returns once the server has registered it.
        let establishStarted = ContinuousClock.now
        var streams: [AsyncThrowingStream<Data, any Error>] = []
        await withTaskGroup(of: Result<AsyncThrowingStream<Data, any Error>, any Error>.self) { group in
            for w in 0..<watchers {
                let client = clients[w % clientCount]
                group.addTask {
                    do { return .success(try await client.watchLines(path: path, timeoutSeconds: 600)) } catch { return .failure(error) }
                }
            }
            for await outcome in group {
                switch outcome {
                case .success(let stream): streams.append(stream)
                case .failure(let error): if result.establishErrors.count < 5 { result.establishErrors.append("\(error)") }
                }
            }
        }
        result.established = streams.count
        let established = streams.count
        result.establishTime = ContinuousClock.now - establishStarted
        progress("  \(streams.count) of \(watchers) watches open in \(BenchFormat.ms(result.establishTime.milliseconds))")

        // 2. Read every stream while creating the events.
        enum Outcome: Sendable {
            case watcher([ContinuousClock.Instant?], String?)
            case timer
        }
        let addedPrefix = Array(#"{"type":"ADDED""#.utf8)
        let marker = Data(#""name":"\#(watchPodPrefix)"#.utf8)
        var acks = [ContinuousClock.Instant?](repeating: nil, count: events)
        var receipts: [[ContinuousClock.Instant?]] = []
        var streamErrors: [String] = []
        let createPath = ResourcePath.pods.collection(namespace: namespace)
        var createErrors = 0
        var firstCreateError: String?

        await withTaskGroup(of: Outcome.self) { group in
            for stream in streams {
                group.addTask {
                    var seen = [ContinuousClock.Instant?](repeating: nil, count: events)
                    var count = 0
                    do {
                        for try await line in stream {
                            let now = ContinuousClock.now
                            guard line.starts(with: addedPrefix), let range = line.range(of: marker) else { continue }
                            var index = 0
                            var position = range.upperBound
                            while position < line.endIndex, let digit = Self.digit(line[position]) {
                                index = index * 10 + digit
                                position += 1
                            }
                            if index < events, seen[index] == nil {
                                seen[index] = now
                                count += 1
                                if count == events { break }
                            }
                        }
                    } catch {
                        return .watcher(seen, "\(error)")
                    }
                    return .watcher(seen, nil)
                }
            }

            // Only the readers hold the streams now: when one returns, its stream is released, which ends
            // the watch and closes its connection.
            streams.removeAll()

            var consecutiveFailures = 0
            for index in 0..<events where consecutiveFailures < 3 {
                let body = podJSON(name: watchPodName(index), namespace: namespace)
                do {
                    let response = try await creator.request(method: "POST", path: createPath, body: body, timeout: .seconds(10))
                    if response.status == 201 {
                        acks[index] = ContinuousClock.now
                        consecutiveFailures = 0
                    } else {
                        createErrors += 1
                        consecutiveFailures += 1
                        if firstCreateError == nil { firstCreateError = "HTTP \(response.status)" }
                    }
                } catch {
                    createErrors += 1
                    consecutiveFailures += 1
                    if firstCreateError == nil { firstCreateError = "\(error)" }
                }
                try? await Task.sleep(for: interval)
            }
            if consecutiveFailures >= 3 { progress("  3 creates failed in a row; not creating more") }
            group.addTask {
                try? await Task.sleep(for: deadline)
                return .timer
            }
            var finished = 0
            for await outcome in group {
                switch outcome {
                case .timer:
                    group.cancelAll()
                case .watcher(let seen, let error):
                    receipts.append(seen)
                    if let error, !(error.contains("CancellationError")) { streamErrors.append(error) }
                    finished += 1
                    if finished == established { group.cancelAll() }
                }
            }
        }

        progress("  watchers done after \(BenchFormat.ms((ContinuousClock.now - establishStarted).milliseconds)); closing connections…")
        let closing = ContinuousClock.now
        await shutdown(clients)
        progress("  closed in \(BenchFormat.ms((ContinuousClock.now - closing).milliseconds))")
        result.createErrors = createErrors
        result.firstCreateError = firstCreateError
        result.streamErrors = streamErrors.count
        result.firstStreamError = streamErrors.first
        for seen in receipts {
            for (index, ack) in acks.enumerated() {
                guard let ack else { continue }
                guard let received = seen[index] else { result.missing += 1; continue }
                if received < ack {
                    result.beforeAck += 1
                    result.latency.add(milliseconds: 0)
                } else {
                    result.latency.add(received - ack)
                }
            }
        }
        return result
    }

    private static func digit(_ byte: UInt8) -> Int? {
        byte >= 0x30 && byte <= 0x39 ? Int(byte - 0x30) : nil
    }
}
