import APIClient
import APIModel
import ArgumentParser
import ClusterDNS
import Foundation

/// `skiff bench services`: Services on a real node (`RealNodeBench`): how soon an endpoint change is an active
/// rule with `--services` Services in place, how fast the cluster DNS answers on the node, and requests through
/// a cluster IP against requests straight to the pod.
///
/// The Services have no selector; the bench writes their EndpointSlices itself (two endpoints each on unused
/// addresses of the node's pod network, so nothing answers until a slice is pointed at the bench's one real
/// pod, a busybox httpd). A change is measured from the slice update sent to the first TCP connection through
/// the Service's cluster IP that reaches the pod. Throughput: 4 threads of HTTP/1.0 requests (a new connection
/// each) for `--seconds`, straight to the pod, then through the cluster IP.
struct ServicesBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "services",
        abstract: "Measure service rules, cluster DNS and cluster-IP throughput on a real node (root; own namespace).")

    @OptionGroup var node: RealNodeBenchOptions

    @Option(help: "Services in place while measuring.")
    var services: Int = 1_000

    @Option(help: "Endpoint changes measured.")
    var changes: Int = 50

    @Option(name: .customLong("dns-queries"), help: "DNS queries measured.")
    var dnsQueries: Int = 2_000

    @Option(help: "Seconds of requests for each side of the throughput comparison.")
    var seconds: Int = 3

    @OptionGroup var options: BenchServerOptions

    static let namespace = "bench-services"
    /// Addresses in the node's pod network that the bench never gives a pod (host-local hands out the lowest).
    static let unusedEndpoints = ["10.42.0.250", "10.42.0.251"]

    func validate() throws {
        guard (1...5_000).contains(services), (1...1_000).contains(changes), changes <= services,
              (1...100_000).contains(dnsQueries), (1...60).contains(seconds) else {
            throw ValidationError("services 1–5,000, changes 1–1,000 (at most the services), dns-queries 1–100,000, seconds 1–60")
        }
    }

    func run() async throws {
        try await RealNodeBench.run("services", node: node, options: options) { admin, _, table in
            _ = try await admin.create(Namespace(metadata: ObjectMeta(name: Self.namespace)))
            let podIP = try await startTarget(admin)
            benchLog("creating \(BenchFormat.count(services)) Services with their EndpointSlices…")
            let clusterIPs = try await createServices(admin)

            let latency = try await measureChanges(admin, clusterIPs: clusterIPs, podIP: podIP)
            table.row("endpoint change → active rule p50 / p99, \(BenchFormat.count(services)) Services", "p99 ≤ 100 ms",
                      "\(BenchFormat.ms(latency.p50)) / \(BenchFormat.ms(latency.p99))", latency.p99 <= 100)

            let dns = await measureDNS()
            table.row("cluster DNS answer p50 / p99 on the node (\(BenchFormat.count(dnsQueries)) queries)", "p99 ≤ 2 ms",
                      "\(BenchFormat.ms(dns.p50)) / \(BenchFormat.ms(dns.p99))", dns.p99 <= 2)

            let serviceIP = try await throughputService(admin, podIP: podIP)
            let direct = await requestsPerSecond(ip: podIP, port: 8081)
            let throughService = await requestsPerSecond(ip: serviceIP, port: 80)
            let ratio = direct.rate > 0 ? throughService.rate / direct.rate : 0
            table.row("requests/s through the cluster IP vs straight to the pod (failed requests)", "≥ 90 %",
                      String(format: "%.0f vs %.0f (%.0f %%; %d / %d failed)", throughService.rate, direct.rate, ratio * 100,
                             throughService.failed, direct.failed), ratio >= 0.9)
        }
    }

    /// The bench's one real pod: busybox httpd on :8080. Returns its IP once Running.
    private func startTarget(_ admin: KubernetesClient) async throws -> String {
        let pod: [String: Any] = [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "target", "namespace": Self.namespace],
            "spec": ["terminationGracePeriodSeconds": 1, "containers": [[
                "name": "web", "image": node.image, "imagePullPolicy": "Never",
                // Two identical servers: the Service leads to :8080, direct requests go to :8081, so the two phases
                // never share connection-tracking tuples (tens of thousands of short connections each).
                "command": ["sh", "-c", "mkdir -p /www; echo target > /www/index.html; httpd -p 8081 -h /www; exec httpd -f -p 8080 -h /www"],
            ]]],
        ]
        let response = try await admin.request(method: "POST", path: ResourcePath.pods.collection(namespace: Self.namespace),
                                               body: try JSONSerialization.data(withJSONObject: pod))
        guard response.status == 201 else { throw BenchError("creating the target pod: HTTP \(response.status)") }
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let pod = try await admin.get(Pod.self, name: "target", namespace: Self.namespace)
            if pod.status?.phase == "Running", let ip = pod.status?.podIP {
                if await BenchThreads.run({ BenchSocket.get(ip, 8080, timeoutMilliseconds: 500) }) { return ip }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchError("the target pod did not answer within 60 s")
    }

    /// Creates the Services and a slice for each (8 at a time); returns the cluster IPs in order.
    private func createServices(_ admin: KubernetesClient) async throws -> [String] {
        var ips = [String](repeating: "", count: services)
        try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for index in 0..<services {
                if index >= 8, let (done, ip) = try await group.next() { ips[done] = ip }
                group.addTask {
                    var spec = ServiceSpec()
                    spec.ports = [ServicePort(name: "http", port: 80, protocol: "TCP", targetPort: .int(8080))]
                    let created = try await admin.create(Service(metadata: ObjectMeta(name: Self.serviceName(index),
                                                                                       namespace: Self.namespace), spec: spec),
                                                         namespace: Self.namespace)
                    _ = try await admin.create(Self.slice(index, endpoints: Self.unusedEndpoints), namespace: Self.namespace)
                    return (index, created.spec?.clusterIP ?? "")
                }
            }
            for try await (done, ip) in group { ips[done] = ip }
        }
        return ips
    }

    static func serviceName(_ index: Int) -> String { String(format: "svc-%05d", index) }

    static func slice(_ index: Int, endpoints: [String], resourceVersion: String? = nil) -> EndpointSlice {
        var metadata = ObjectMeta(labels: ["kubernetes.io/service-name": serviceName(index)], name: serviceName(index),
                                  namespace: namespace)
        metadata.resourceVersion = resourceVersion
        return EndpointSlice(metadata: metadata, addressType: "IPv4",
                             endpoints: endpoints.map { Endpoint(addresses: [$0], conditions: EndpointConditions(ready: true)) },
                             ports: [DiscoveryEndpointPort(name: "http", port: 8080, protocol: "TCP")])
    }

    /// Points `changes` Services (spread over the list) at the real pod, one at a time; for each, the time from
    /// the update to the first connection through its cluster IP.
    private func measureChanges(_ admin: KubernetesClient, clusterIPs: [String], podIP: String) async throws -> LatencySummary {
        // Settle: the proxy has every Service once the last one created answers after being pointed at the pod.
        _ = try await change(admin, index: services - 1, clusterIP: clusterIPs[services - 1], podIP: podIP,
                             timeout: .seconds(120))
        benchLog("measuring \(changes) endpoint changes…")
        var samples = LatencySamples()
        let step = max(1, (services - 1) / changes)
        for k in 0..<changes {
            let index = (k * step) % max(1, services - 1)
            samples.add(try await change(admin, index: index, clusterIP: clusterIPs[index], podIP: podIP, timeout: .seconds(10)))
        }
        return samples.summary()
    }

    private func change(_ admin: KubernetesClient, index: Int, clusterIP: String, podIP: String,
                        timeout: Duration) async throws -> Duration {
        let current = try await admin.get(EndpointSlice.self, name: Self.serviceName(index), namespace: Self.namespace)
        let started = ContinuousClock.now
        _ = try await admin.update(Self.slice(index, endpoints: [podIP], resourceVersion: current.metadata?.resourceVersion))
        let reached = await BenchThreads.run {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                if BenchSocket.connects(clusterIP, 80, timeoutMilliseconds: 5) { return true }
                usleep(500)
            }
            return false
        }
        guard reached else { throw BenchError("service \(Self.serviceName(index)) did not reach the pod within \(timeout)") }
        return ContinuousClock.now - started
    }

    /// A Service for the throughput phase whose slice leads to the pod from the start: the measured Services were
    /// probed while their endpoints led nowhere, and those half-open connections' tracking entries (kept for
    /// minutes) would catch new connections reusing their source ports. Waits until it answers, probing only
    /// once its rule must be there (changes take well under 500 ms).
    private func throughputService(_ admin: KubernetesClient, podIP: String) async throws -> String {
        var spec = ServiceSpec()
        spec.ports = [ServicePort(name: "http", port: 80, protocol: "TCP", targetPort: .int(8080))]
        let index = services
        let created = try await admin.create(Service(metadata: ObjectMeta(name: Self.serviceName(index), namespace: Self.namespace),
                                                     spec: spec), namespace: Self.namespace)
        _ = try await admin.create(Self.slice(index, endpoints: [podIP]), namespace: Self.namespace)
        let ip = created.spec?.clusterIP ?? ""
        try await Task.sleep(for: .milliseconds(500))
        for _ in 0..<20 {
            if await BenchThreads.run({ BenchSocket.get(ip, 80, timeoutMilliseconds: 1_000) }) { return ip }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw BenchError("the throughput Service did not answer")
    }

    /// Sequential A queries for the bench's Services to the cluster DNS, each timed.
    private func measureDNS() async -> LatencySummary {
        let queries = (0..<dnsQueries).map { index in
            DNSMessage(id: UInt16(truncatingIfNeeded: index), recursionDesired: true,
                       questions: [DNSQuestion(name: "\(Self.serviceName(index % services)).\(Self.namespace).svc.cluster.local",
                                               type: DNSType.a.rawValue)]).encoded()
        }
        let server = DNSUpstream("10.43.0.10:53", timeoutMilliseconds: 1_000)!
        let durations = await BenchThreads.run {
            queries.map { query -> Double in
                let started = ContinuousClock.now
                let answered = server.exchange(query) != nil
                return answered ? (ContinuousClock.now - started).milliseconds : 1_000
            }
        }
        return LatencySamples(durations).summary()
    }

    /// HTTP requests per second to `ip:port` from 4 threads for `seconds` (a new connection each, as busybox
    /// httpd closes them).
    private func requestsPerSecond(ip: String, port: Int) async -> (rate: Double, failed: Int) {
        let seconds = self.seconds
        let counts = await withTaskGroup(of: (Int, Int).self) { group in
            for _ in 0..<4 {
                group.addTask {
                    await BenchThreads.run {
                        let deadline = ContinuousClock.now + .seconds(seconds)
                        var done = 0, failed = 0
                        while ContinuousClock.now < deadline {
                            if BenchSocket.get(ip, port, timeoutMilliseconds: 1_000) { done += 1 } else { failed += 1 }
                        }
                        return (done, failed)
                    }
                }
            }
            return await group.reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
        }
        return (Double(counts.0) / Double(seconds), counts.1)
    }
}
