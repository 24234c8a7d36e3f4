import Foundation

/// Latency samples kept as a plain array, sorted once when read (no histogram dependency).
struct LatencySamples: Sendable {
    private(set) var values: [Double] = []

    init(_ values: [Double] = []) { self.values = values }

    mutating func add(_ duration: Duration) { values.append(duration.milliseconds) }
    mutating func add(milliseconds: Double) { values.append(milliseconds) }
    mutating func merge(_ other: LatencySamples) { values.append(contentsOf: other.values) }

    var count: Int { values.count }

    /// Nearest-rank percentiles (q in 0…1) of the samples, in milliseconds.
    func summary() -> LatencySummary {
        let sorted = values.sorted()
        func rank(_ q: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            let index = min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))
            return sorted[index]
        }
        return LatencySummary(count: sorted.count, p50: rank(0.50), p90: rank(0.90), p99: rank(0.99),
                              max: sorted.last ?? .nan,
                              mean: sorted.isEmpty ? .nan : sorted.reduce(0, +) / Double(sorted.count))
    }
}

struct LatencySummary: Sendable {
    var count: Int
    var p50: Double
    var p90: Double
    var p99: Double
    var max: Double
    var mean: Double
}

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}

enum BenchFormat {
    static func ms(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        if value < 10 { return String(format: "%.2f ms", value) }
        if value < 100 { return String(format: "%.1f ms", value) }
        return String(format: "%.0f ms", value)
    }

    static func mib(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }

    static func count(_ value: Int) -> String {
        let digits = String(value)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return out
    }

    /// A Markdown table with columns padded to line up in a terminal.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = Swift.max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            "| " + cells.enumerated().map { i, cell in cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: " | ") + " |"
        }
        let separator = "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"
        return ([line(header), separator] + rows.map(line)).joined(separator: "\n")
    }
}
