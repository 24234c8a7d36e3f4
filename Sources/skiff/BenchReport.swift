import Foundation

/// The results of `skiff bench`, rendered as Markdown tables with the targets beside them.
struct BenchReport {
    enum Verdict: String { case met = "met", missed = "MISSED", info = "" }

    struct Row {
        var goal: String
        var target: String
        var measured: String
        var verdict: Verdict
    }

    private(set) var rows: [Row] = []
    private(set) var details: [[String]] = []
    var stopTime: Duration?
    private let creates: Int
    private let clients: Int
    private let watchers: Int
    private let datastore: String
    private let loadBefore = BenchReport.loadAverage()

    init(options: APIBenchCommand) {
        creates = options.creates
        clients = options.clients
        watchers = options.watchers
        datastore = options.options.datastore
    }

    private static func verdict(_ met: Bool) -> Verdict { met ? .met : .missed }

    private mutating func detail(_ name: String, _ value: String) { details.append([name, value]) }

    private mutating func errors(_ phase: String, _ result: PhaseResult) {
        if result.errors > 0 { detail("\(phase) errors", "\(result.errors) (first: \(result.firstError ?? "?"))") }
    }

    mutating func add(startFresh: Duration, startExisting: Duration, idleRSS: Int?) {
        rows.append(Row(goal: "start → /readyz 200, fresh data dir", target: "< 0.5 s",
                        measured: BenchFormat.ms(startFresh.milliseconds), verdict: Self.verdict(startFresh < .milliseconds(500))))
        rows.append(Row(goal: "start → /readyz 200, existing data dir", target: "< 0.5 s",
                        measured: BenchFormat.ms(startExisting.milliseconds), verdict: Self.verdict(startExisting < .milliseconds(500))))
        if let idleRSS {
            rows.append(Row(goal: "idle RSS after start (1 s idle)", target: "< 50 MB",
                            measured: Self.mb(idleRSS), verdict: Self.verdict(idleRSS < 50_000_000)))
        }
    }

    mutating func add(creates result: PhaseResult) {
        let summary = result.samples.summary()
        let rate = Double(result.samples.count) / max(result.wall.milliseconds / 1000, 1e-9)
        rows.append(Row(goal: "creates/s, \(clients) clients, \(BenchFormat.count(creates)) pods", target: "≥ 2,000/s",
                        measured: String(format: "%.0f/s", rate), verdict: Self.verdict(rate >= 2000)))
        rows.append(Row(goal: "create latency p50 / p99", target: "p99 ≤ 25 ms",
                        measured: "\(BenchFormat.ms(summary.p50)) / \(BenchFormat.ms(summary.p99))",
                        verdict: Self.verdict(summary.p99 <= 25)))
        detail("create phase", "\(BenchFormat.count(result.samples.count)) pods in \(BenchFormat.ms(result.wall.milliseconds)); p90 \(BenchFormat.ms(summary.p90)), max \(BenchFormat.ms(summary.max)), mean \(BenchFormat.ms(summary.mean))")
        errors("create", result)
    }

    mutating func add(gets result: PhaseResult) {
        let summary = result.samples.summary()
        rows.append(Row(goal: "GET pod p50 / p99, \(BenchFormat.count(result.samples.count)) GETs, \(clients) clients",
                        target: "p99 ≤ 5 ms", measured: "\(BenchFormat.ms(summary.p50)) / \(BenchFormat.ms(summary.p99))",
                        verdict: Self.verdict(summary.p99 <= 5)))
        let rate = Double(result.samples.count) / max(result.wall.milliseconds / 1000, 1e-9)
        detail("GET phase", String(format: "%.0f GETs/s", rate) + "; p90 \(BenchFormat.ms(summary.p90)), max \(BenchFormat.ms(summary.max))")
        errors("GET", result)
    }

    mutating func add(lists result: PhaseResult, items: Int, typedList: Duration) {
        let summary = result.samples.summary()
        let sorted = result.samples.values.sorted()
        rows.append(Row(goal: "LIST of \(BenchFormat.count(items)) pods (JSON), median of \(result.samples.count)",
                        target: "≤ 300 ms for 10,000", measured: BenchFormat.ms(summary.p50),
                        verdict: Self.verdict(summary.p50 <= 300)))
        detail("LIST phase", "min \(BenchFormat.ms(sorted.first ?? .nan)), max \(BenchFormat.ms(sorted.last ?? .nan)); body \(Self.mb(result.bytes))")
        detail("LIST decoded by the typed client (not part of the target)", BenchFormat.ms(typedList.milliseconds))
        errors("LIST", result)
    }

    mutating func add(watch result: WatchResult) {
        let summary = result.latency.summary()
        let complete = result.missing == 0 && result.established == result.watchers && result.createErrors == 0
        rows.append(Row(goal: "watch: \(BenchFormat.count(result.watchers)) watchers, create ack → event p50 / p99",
                        target: "p99 ≤ 100 ms", measured: "\(BenchFormat.ms(summary.p50)) / \(BenchFormat.ms(summary.p99))",
                        verdict: Self.verdict(summary.p99 <= 100 && complete)))
        detail("watch phase", "\(result.established)/\(result.watchers) watches open in \(BenchFormat.ms(result.establishTime.milliseconds)); \(result.events) events; \(BenchFormat.count(result.latency.count)) deliveries, p90 \(BenchFormat.ms(summary.p90)), max \(BenchFormat.ms(summary.max)); \(result.beforeAck) seen before the create's response (counted 0 ms); \(result.missing) missing after 15 s")
        if !result.establishErrors.isEmpty { detail("watch open errors", result.establishErrors.joined(separator: "; ")) }
        if result.createErrors > 0 { detail("watch-phase create errors", "\(result.createErrors) of \(result.events) (first: \(result.firstCreateError ?? "?"))") }
        if result.streamErrors > 0 { detail("watch stream errors", "\(result.streamErrors) (first: \(result.firstStreamError ?? "?"))") }
    }

    mutating func add(finalMemory: (rss: Int, peak: Int)?) {
        if let finalMemory {
            rows.append(Row(goal: "RSS after the run (peak)", target: "—",
                            measured: "\(Self.mb(finalMemory.rss)) (\(Self.mb(finalMemory.peak)))", verdict: .info))
        }
    }

    func render(command: String) -> String {
        var out = ""
        out += "\(command)\n"
        out += "machine: \(Self.machine())\n"
        out += "load average (1/5/15 min) before: \(loadBefore), after: \(Self.loadAverage())\n"
        out += "server: datastore \(datastore), bench client in the same machine (shares its cores)\n\n"
        out += BenchFormat.table(["goal", "target", "measured", "verdict"],
                                 rows.map { [$0.goal, $0.target, $0.measured, $0.verdict.rawValue] })
        var extra = details
        if let stopTime { extra.append(["graceful stop (SIGTERM → exit)", BenchFormat.ms(stopTime.milliseconds)]) }
        else { extra.append(["graceful stop (SIGTERM → exit)", "did not exit within 15 s: killed"]) }
        out += "\n\n" + BenchFormat.table(["detail", "value"], extra) + "\n"
        return out
    }

    static func mb(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_000_000) }

    /// The first three fields of /proc/loadavg.
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// `nproc`, total memory and CPU model, from /proc.
    static func machine() -> String {
        let cpus = ProcessInfo.processInfo.activeProcessorCount
        let memory = ProcessInfo.processInfo.physicalMemory
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "?" } ?? "?"
        return "\(cpus) CPUs (\(model)), " + String(format: "%.1f GiB RAM", Double(memory) / 1_073_741_824)
    }
}
