import Foundation
import Glibc

/// What the node reports about the machine: capacity and system info, read once at start.
public struct HostFacts: Sendable, Equatable {
    public var cpus: Int
    public var memoryBytes: Int64
    /// Size of the file system that holds the data directory.
    public var ephemeralStorageBytes: Int64
    public var kernelVersion: String
    public var osImage: String
    /// `amd64`, `arm64`, … as Go names architectures.
    public var architecture: String
    public var hostname: String
    public var machineID: String
    public var bootID: String

    public init(cpus: Int, memoryBytes: Int64, ephemeralStorageBytes: Int64, kernelVersion: String,
                osImage: String, architecture: String, hostname: String, machineID: String = "", bootID: String = "") {
        self.cpus = cpus
        self.memoryBytes = memoryBytes
        self.ephemeralStorageBytes = ephemeralStorageBytes
        self.kernelVersion = kernelVersion
        self.osImage = osImage
        self.architecture = architecture
        self.hostname = hostname
        self.machineID = machineID
        self.bootID = bootID
    }

    /// Reads the facts of this machine; `dataDirectory` decides which file system is measured.
    public static func read(dataDirectory: String) -> HostFacts {
        var names = utsname()
        uname(&names)
        let release = withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let machine = withUnsafeBytes(of: &names.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        var fs = statvfs()
        let storage = statvfs(dataDirectory, &fs) == 0 ? Int64(fs.f_blocks) * Int64(fs.f_frsize) : 0
        return HostFacts(
            cpus: ProcessInfo.processInfo.activeProcessorCount,
            memoryBytes: memTotal(file("/proc/meminfo")) ?? Int64(ProcessInfo.processInfo.physicalMemory),
            ephemeralStorageBytes: storage,
            kernelVersion: release,
            osImage: prettyName(file("/etc/os-release")) ?? "Linux",
            architecture: goArchitecture(machine),
            hostname: ProcessInfo.processInfo.hostName,
            machineID: file("/etc/machine-id").trimmingCharacters(in: .whitespacesAndNewlines),
            bootID: file("/proc/sys/kernel/random/boot_id").trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// `MemTotal` of /proc/meminfo, in bytes.
    static func memTotal(_ meminfo: String) -> Int64? {
        for line in meminfo.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let kib = Int64(fields[1]) else { return nil }
            return kib * 1024
        }
        return nil
    }

    /// `PRETTY_NAME` of os-release.
    static func prettyName(_ osRelease: String) -> String? {
        for line in osRelease.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return String(line.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }
        return nil
    }

    /// Go's GOARCH for a `uname -m` machine.
    static func goArchitecture(_ machine: String) -> String {
        switch machine {
        case "x86_64": "amd64"
        case "aarch64": "arm64"
        case "armv7l": "arm"
        default: machine
        }
    }

    private static func file(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}
