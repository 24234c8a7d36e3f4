import APIClient
import APIModel
import ArgumentParser
import Foundation
import Storage

/// `skiff bench controllers`: the Deployment and ReplicaSet controllers, the scheduler and simulated nodes end
/// to end through the API.
///
/// Starts `skiff server --simulated-nodes N` (this executable) on loopback in a temporary data directory, then
/// (a) creates one Deployment of `--replicas` pods and measures creation → Available, (b) changes its image
/// and measures the rolling update (25 % surge, 25 % unavailable) until every pod is new and available and the
/// old ReplicaSet is at 0, deletes it and waits for its pods to go (so the next phase has the nodes to
/// itself), (c) creates `--deployments` Deployments of `--deployment-replicas` pods with `--clients` clients
/// and measures the first create → all Available (waiting up to `--wait-limit`, then reporting how many are),
/// and (d) reads the server's RSS with all of it in place. Completion is seen through a watch of the
/// Deployments. It stops the server by PID at the end.
struct ControllersBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controllers",
        abstract: "Measure Deployment creation → Available, a rolling update, and many Deployments at once on simulated nodes.")

    @Option(help: "Simulated nodes in the server (each takes 110 pods).")
    var nodes: Int = 100

    @Option(help: "Replicas of the single Deployment (phases a and b).")
    var replicas: Int = 1_000

    @Option(help: "Deployments created at once (phase c; 0 skips it).")
    var deployments: Int = 1_000

    @Option(name: .customLong("deployment-replicas"), help: "Replicas of each of those Deployments.")
    var deploymentReplicas: Int = 10

    @Option(help: "Concurrent clients creating the Deployments of phase c, each with its own connection.")
    var clients: Int = 8

    @Option(name: .customLong("wait-limit"), help: "Seconds phase c waits for its Deployments before reporting how many are Available.")
    var waitLimit: Int = 180

    @OptionGroup var options: BenchServerOptions

    /// Pods a simulated node takes (`SimulatedNodeShape`'s default, like the kubelet's).
    private static let podsPerNode = 110
    private static let image = "registry.k8s.io/pause:3.9"
    private static let updatedImage = "registry.k8s.io/pause:3.10"

    func validate() throws {
        guard (1...5_000).contains(nodes), (1...100_000).contains(replicas), (0...20_000).contains(deployments),
              (1...1_000).contains(deploymentReplicas), (1...256).contains(clients), waitLimit >= 1 else {
            throw ValidationError("nodes 1–5,000, replicas 1–100,000, deployments 0–20,000, deployment replicas 1–1,000, clients 1–256, wait limit ≥ 1")
        }
        let capacity = nodes * Self.podsPerNode
        // During the rolling update up to 25 % more pods than replicas exist (maxSurge rounds up).
        let surge = (replicas + 3) / 4
        guard replicas + surge <= capacity, deployments * deploymentReplicas <= capacity else {
            throw ValidationError("\(nodes) nodes take \(capacity) pods: too few for \(replicas) replicas plus a 25 % surge, or for \(deployments) × \(deploymentReplicas)")
        }
    }

    func run() async throws {
        try await SimulatedBench.run("controllers", nodes: nodes, clients: clients, options: options) { server, config, table in
            func seconds(_ duration: Duration) -> String { String(format: "%.2f s", duration.milliseconds / 1000) }
            try await BenchLoad.withClient(config, options: .init(maxConnections: 4, requestTimeout: .seconds(60))) { admin in
                let registered = try await BenchLoad.waitForNodes(admin, count: nodes)
                table.row("\(BenchFormat.count(nodes)) simulated nodes registered", "", BenchFormat.ms(registered.milliseconds), nil)

                let single = try await singleDeployment(admin)
                table.row("(a) Deployment of \(BenchFormat.count(replicas)) replicas: creation → Available", "< 5 s",
                          seconds(single.available), single.available < .seconds(5))
                table.row("    of which: creation → last pod bound / last pod Running", "",
                          "\(seconds(single.lastBound)) / \(seconds(single.lastRunning))", nil)
                table.row("(b) rolling update of it (image change): → complete, old ReplicaSet at 0", "< 15 s",
                          seconds(single.rollout), single.rollout < .seconds(15))
                table.row("    then: delete the Deployment → its pods gone", "", seconds(single.deleted), nil)

                if deployments > 0 {
                    let many = try await manyDeployments(admin, config: config)
                    let goal = "(c) \(BenchFormat.count(deployments)) Deployments × \(deploymentReplicas) replicas: first create → all Available"
                    if let allAvailable = many.allAvailable {
                        table.row(goal, "< 30 s", seconds(allAvailable), allAvailable < .seconds(30))
                    } else {
                        table.row(goal, "< 30 s", "> \(waitLimit) s (\(BenchFormat.count(many.available)) Available)", false)
                        table.row("    pods then: created / bound / Running", "",
                                  "\(BenchFormat.count(many.pods.pods)) / \(BenchFormat.count(many.pods.bound)) / \(BenchFormat.count(many.pods.running))", nil)
                    }
                    table.row("    Deployments created/s (\(clients) clients)", "", String(format: "%.0f/s", many.createRate), nil)
                    if many.available > 0 {
                        table.row("    per Deployment creation → Available p50 / p99 (of the \(BenchFormat.count(many.available)) Available)", "",
                                  String(format: "%.2f s / %.2f s", many.latency.p50 / 1000, many.latency.p99 / 1000), nil)
                    }
                }
            }
            if let memory = server.memory() {
                let pods = deployments * deploymentReplicas
                table.row("server RSS at the end (\(BenchFormat.count(deployments)) Deployments, \(BenchFormat.count(pods)) pods), peak", "",
                          "\(BenchFormat.mib(memory.rss)) (peak \(BenchFormat.mib(memory.peak)))", nil)
            }
        }
    }

    // MARK: Phases

    private static func deploymentJSON(name: String, namespace: String, replicas: Int, image: String) -> Data {
        Data(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"\#(name)","namespace":"\#(namespace)","labels":{"app":"\#(name)"}},"spec":{"replicas":\#(replicas),"selector":{"matchLabels":{"app":"\#(name)"}},"template":{"metadata":{"labels":{"app":"\#(name)"}},"spec":{"containers":[{"name":"app","image":"\#(image)","resources":{"requests":{"cpu":"10m","memory":"16Mi"}}}]}}}}"#.utf8)
    }

    private static func expect(_ response: KubernetesClient.RawResponse, _ status: Int, _ what: String) throws {
        guard response.status == status else {
            throw BenchError("\(what): HTTP \(response.status) \(String(decoding: response.body.prefix(300), as: UTF8.self))")
        }
    }

    /// Phases (a) and (b) on one Deployment, then its deletion.
    private func singleDeployment(_ admin: KubernetesClient) async throws
        -> (available: Duration, lastBound: Duration, lastRunning: Duration, rollout: Duration, deleted: Duration)
    {
        let namespace = "bench-ctl-single"
        let name = "web"
        _ = try await admin.create(Namespace(metadata: ObjectMeta(name: namespace)))
        let deploymentWatch = try await DeploymentWatch.start(admin, namespace: namespace)
        let podWatch = try await PodWatch.start(admin, namespace: namespace)
        defer {
            deploymentWatch.stop()
            podWatch.stop()
        }
        let timeout = Duration.seconds(max(120, replicas / 20))

        benchLog("(a) creating a Deployment of \(BenchFormat.count(replicas)) replicas on \(BenchFormat.count(nodes)) nodes…")
        let created = ContinuousClock.now
        try Self.expect(try await admin.request(method: "POST", path: ResourcePath.deployments.collection(namespace: namespace),
                                                body: Self.deploymentJSON(name: name, namespace: namespace, replicas: replicas, image: Self.image)),
                        201, "create Deployment \(name)")
        let available = try await deploymentWatch.waitUntil(count: 1, generation: 1, timeout: timeout)
        let lastBound = try await podWatch.waitUntil(count: replicas, of: .bound, timeout: .seconds(10))
        let lastRunning = try await podWatch.waitUntil(count: replicas, of: .running, timeout: .seconds(10))
        benchLog("  Available after \(BenchFormat.ms((available - created).milliseconds))")

        benchLog("(b) rolling update: image \(Self.image) → \(Self.updatedImage)…")
        let patch = Data(#"{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"\#(Self.updatedImage)"}]}}}}"#.utf8)
        let updateStarted = ContinuousClock.now
        try Self.expect(try await admin.request(method: "PATCH", path: ResourcePath.deployments.object(name, namespace: namespace),
                                                body: patch, contentType: "application/strategic-merge-patch+json"),
                        200, "patch Deployment \(name)")
        var complete = try await deploymentWatch.waitUntil(count: 1, generation: 2, timeout: timeout)
        // The Deployment's status.replicas counts every ReplicaSet's pods; check the old one's spec too.
        while true {
            let sets = try await admin.listItems(ReplicaSet.self, namespace: namespace).items
            let old = sets.filter { $0.spec?.template?.spec?.containers?.first?.image != Self.updatedImage }
            if !old.isEmpty, old.allSatisfy({ $0.spec?.replicas == 0 && ($0.status?.replicas ?? 0) == 0 }) { break }
            if ContinuousClock.now - updateStarted > timeout { throw BenchError("the old ReplicaSet was not scaled to 0 within \(timeout)") }
            try await Task.sleep(for: .milliseconds(20))
            complete = max(complete, ContinuousClock.now)
        }
        benchLog("  complete after \(BenchFormat.ms((complete - updateStarted).milliseconds)); deleting the Deployment…")

        let deleteStarted = ContinuousClock.now
        _ = try await admin.delete(name: name, namespace: namespace, resource: .deployments, propagationPolicy: "Background")
        while try await Self.podCensus(admin, namespace: namespace).pods > 0 {
            if ContinuousClock.now - deleteStarted > timeout { throw BenchError("the Deployment's pods were not gone within \(timeout)") }
            try await Task.sleep(for: .milliseconds(100))
        }
        return (available - created, lastBound - created, lastRunning - created, complete - updateStarted,
                ContinuousClock.now - deleteStarted)
    }

    /// How many pods `namespace` has, how many of them are bound and how many Running (decoding only that).
    private static func podCensus(_ admin: KubernetesClient, namespace: String) async throws -> (pods: Int, bound: Int, running: Int) {
        struct List: Decodable {
            struct Item: Decodable {
                struct Spec: Decodable { var nodeName: String? }
                struct Status: Decodable { var phase: String? }
                var spec: Spec?
                var status: Status?
            }
            var items: [Item]?
        }
        let response = try await admin.request(method: "GET", path: ResourcePath.pods.collection(namespace: namespace))
        try expect(response, 200, "list pods")
        let items = try JSONDecoder().decode(List.self, from: response.body).items ?? []
        return (items.count, items.filter { !($0.spec?.nodeName ?? "").isEmpty }.count,
                items.filter { $0.status?.phase == "Running" }.count)
    }

    /// Phase (c): many Deployments created at once by several clients.
    private func manyDeployments(_ admin: KubernetesClient, config: KubeConfig) async throws
        -> (allAvailable: Duration?, available: Int, pods: (pods: Int, bound: Int, running: Int), createRate: Double,
            latency: LatencySummary)
    {
        let namespace = "bench-ctl-many"
        _ = try await admin.create(Namespace(metadata: ObjectMeta(name: namespace)))
        let watch = try await DeploymentWatch.start(admin, namespace: namespace)
        defer { watch.stop() }
        let loadClients = try BenchLoad.makeClients(config, count: clients, connections: 1)
        defer { Task { await BenchLoad.shutdown(loadClients) } }
        try await BenchLoad.warmUp(loadClients)
        benchLog("(c) creating \(BenchFormat.count(deployments)) Deployments of \(deploymentReplicas) replicas with \(clients) clients…")
        let path = ResourcePath.deployments.collection(namespace: namespace)
        let replicasEach = deploymentReplicas
        let sent = Locked<[String: ContinuousClock.Instant]>([:])
        let started = ContinuousClock.now
        let created = await BenchLoad.concurrently(loadClients, total: deployments) { client, index in
            let name = String(format: "d-%05d", index)
            let body = Self.deploymentJSON(name: name, namespace: namespace, replicas: replicasEach, image: Self.image)
            sent.withLock { $0[name] = ContinuousClock.now }
            do {
                let response = try await client.request(method: "POST", path: path, body: body)
                return response.status == 201 ? (nil, nil, 0) : (nil, "create \(name): HTTP \(response.status)", 0)
            } catch {
                return (nil, "create \(name): \(error)", 0)
            }
        }
        if created.errors > 0 { throw BenchError("\(created.errors) creates failed; first: \(created.firstError ?? "?")") }
        benchLog("  created in \(BenchFormat.ms(created.wall.milliseconds)); waiting for all to be Available…")
        // Wait in steps of 10 s, saying how many are Available after each, up to --wait-limit.
        let limit = started + .seconds(waitLimit)
        var last: ContinuousClock.Instant?
        while last == nil {
            let step = min(Duration.seconds(10), max(.zero, limit - ContinuousClock.now))
            last = try? await watch.waitUntil(count: deployments, timeout: step)
            if last == nil {
                let elapsed = (ContinuousClock.now - started).milliseconds / 1000
                benchLog(String(format: "  %.0f s: %d of %d Available", elapsed, watch.completions(atLeast: 1).count, deployments))
                if ContinuousClock.now >= limit { break }
            }
        }
        var samples = LatencySamples()
        let sentTimes = sent.withLock { $0 }
        for (name, at) in watch.completions(atLeast: 1) {
            if let start = sentTimes[name] { samples.add(at - start) }
        }
        let pods = try await Self.podCensus(admin, namespace: namespace)
        return (last.map { $0 - started }, samples.count, pods, Double(deployments) / (created.wall.milliseconds / 1000), samples.summary())
    }
}
