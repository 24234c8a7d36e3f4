import Foundation

/// Watches a process that is not our child (a container adopted after an agent restart), through `/proc`:
/// it counts as gone once `/proc/<pid>` is gone, is a zombie, or belongs to another process (the start time
/// in `stat` changed: the pid was reused).
enum ProcessWatch {
    /// The process's start time (`stat` field 22), or nil when it is gone or a zombie.
    static func startTime(pid: Int32) -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return nil }
        return parseStat(text)
    }

    /// The start time from a `stat` line (after the parenthesised command, which may hold spaces); nil for a
    /// zombie or dead process.
    static func parseStat(_ text: String) -> UInt64? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is the state (field 3); the start time is field 22, i.e. fields[19].
        guard fields.count > 19, fields[0] != "Z", fields[0] != "X" else { return nil }
        return UInt64(fields[19])
    }

    /// Blocks until the process is gone, polling every `interval`.
    static func waitBlocking(pid: Int32, startTime: UInt64, interval: Duration = .milliseconds(250)) {
        let micros = UInt32(interval.components.seconds * 1_000_000 + interval.components.attoseconds / 1_000_000_000_000)
        while self.startTime(pid: pid) == startTime {
            usleep(micros)
        }
    }
}
