import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A network namespace of the bench's own (`skiff-bench-<pid>`) with only `lo` up and no route out, so a bench
/// that runs real pods (bridge, CNI, nftables) never touches the machine's own network (DESIGN.md §5).
///
/// The bench runs itself again inside it (`nsenter --net=/var/run/netns/NAME <this executable> <same arguments>
/// --inside-namespace NAME` — not `ip netns exec`, whose fresh /sys hides the cgroup mounts runc needs), waits
/// for that child, and deletes the namespace afterwards, whatever happened.
enum BenchNamespace {
    /// Runs `arguments` (this executable's subcommand and options) again inside a fresh namespace; returns
    /// the child's exit status.
    static func runInside(arguments: [String], logPath: String) async throws -> Int32 {
        let name = "skiff-bench-\(getpid())"
        try await ip(["netns", "add", name], logPath: logPath)
        defer { deleteNamespace(name) }
        try await ip(["-n", name, "link", "set", "lo", "up"], logPath: logPath)
        let child = try await BenchServerProcess.spawn(
            executable: nsenterPath, subcommand: [],
            arguments: ["--net=/var/run/netns/\(name)", "--", currentExecutablePath()] + arguments + ["--inside-namespace", name],
            logPath: BenchServerProcess.inheritOutput)
        return await child.exitStatus()
    }

    /// Fails unless this process is in a namespace without a default route (the one `runInside` made).
    static func checkIsolated(_ name: String) throws {
        let routes = (try? String(contentsOfFile: "/proc/net/route", encoding: .utf8)) ?? ""
        // Columns: Iface Destination Gateway …; a default route has destination 00000000.
        let hasDefault = routes.split(separator: "\n").dropFirst().contains { line in
            line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().first == "00000000"
        }
        if hasDefault { throw BenchError("network namespace \(name) has a default route; refusing to run real pods") }
    }

    static let nsenterPath = ["/usr/bin/nsenter", "/bin/nsenter"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "nsenter"

    static let ipPath = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"]
        .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "ip"

    private static func ip(_ arguments: [String], logPath: String) async throws {
        let process = try await BenchServerProcess.spawn(executable: ipPath, subcommand: [], arguments: arguments,
                                                         logPath: logPath)
        let status = await process.exitStatus()
        if status != 0 { throw BenchError("ip \(arguments.joined(separator: " ")) failed (\(status)): see \(logPath)") }
    }

    /// Ends what is left in the namespace (only processes of this bench can be there) and deletes it.
    private static func deleteNamespace(_ name: String) {
        for pid in namespacePIDs(name) where pid != getpid() { kill(pid, SIGKILL) }
        var pid: pid_t = 0
        let arguments: [String] = [ipPath, "netns", "delete", name]
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        if posix_spawn(&pid, ipPath, nil, nil, argv, environ) == 0 {
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }

    /// The processes whose network namespace is the named one (compared by inode).
    private static func namespacePIDs(_ name: String) -> [pid_t] {
        var target = stat()
        guard stat("/var/run/netns/\(name)", &target) == 0,
              let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry) else { return nil }
            var info = stat()
            guard stat("/proc/\(entry)/ns/net", &info) == 0, info.st_ino == target.st_ino, info.st_dev == target.st_dev else { return nil }
            return pid
        }
    }
}
