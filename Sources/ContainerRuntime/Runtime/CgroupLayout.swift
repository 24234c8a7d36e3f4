import Foundation
import Glibc

/// Where containers' cgroups go and what is read from them.
///
/// Runtimes disagree on relative `cgroupsPath`s (crun takes them from the hierarchy root, runc from the
/// caller's cgroup), so containers get absolute paths under `parent`: by default a `skiff` directory below
/// this process's own cgroup (its memory cgroup on v1 hosts). Runtimes remove only a container's leaf
/// cgroup; the intermediate directories they create in the other v1 hierarchies are removed by
/// `removeCreatedParents()` (only those that did not exist when the layout was made).
public struct CgroupLayout: Sendable {
    /// The host's cgroup setup.
    public enum Version: Hashable, Sendable {
        /// Only cgroup v2 at the root.
        case unified
        /// v1 controllers, with a cgroup2 mount at `unified/` holding these controllers (possibly none).
        case hybrid(unifiedControllers: [String])
        /// Only v1 controllers.
        case legacy

        /// Detects the layout under `root`.
        public static func detect(root: String = "/sys/fs/cgroup") -> Version {
            let files = FileManager.default
            if files.fileExists(atPath: root + "/cgroup.controllers") { return .unified }
            guard let controllers = try? String(contentsOfFile: root + "/unified/cgroup.controllers",
                                                encoding: .utf8) else { return .legacy }
            return .hybrid(unifiedControllers: controllers.split(whereSeparator: \.isWhitespace).map(String.init))
        }
    }

    public let root: String
    public let version: Version
    /// The absolute cgroup path containers are created below.
    public let parent: String
    /// Directories (full paths) between `parent` and the hierarchy roots that did not exist at creation.
    private let missingParents: [String]

    public init(parent: String, root: String = "/sys/fs/cgroup", version: Version? = nil) {
        self.root = root
        self.version = version ?? Version.detect(root: root)
        self.parent = parent
        let files = FileManager.default
        var missing: [String] = []
        for hierarchy in Self.hierarchies(root: root, version: self.version) {
            var path = parent
            while path != "/" && !path.isEmpty {
                if !files.fileExists(atPath: hierarchy + path) { missing.append(hierarchy + path) }
                path = (path as NSString).deletingLastPathComponent
            }
        }
        self.missingParents = missing
    }

    /// A layout whose parent is `<this process's cgroup>/<name>`.
    public static func belowOwnCgroup(_ name: String = "skiff", root: String = "/sys/fs/cgroup") -> CgroupLayout {
        let version = Version.detect(root: root)
        let own = (try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8))
            .map { ownCgroup(procSelfCgroup: $0, version: version) } ?? "/"
        return CgroupLayout(parent: (own == "/" ? "" : own) + "/" + name, root: root, version: version)
    }

    /// This process's cgroup from `/proc/self/cgroup`: the `memory` controller's line on v1 and hybrid hosts
    /// (where limits are enforced), the `0::` line on unified ones.
    static func ownCgroup(procSelfCgroup text: String, version: Version) -> String {
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let controllers = fields[1].split(separator: ",")
            let matches = version == .unified ? fields[0] == "0" : controllers.contains("memory")
            if matches { return String(fields[2]) }
        }
        return "/"
    }

    /// The absolute cgroup path of container `id`.
    public func cgroupsPath(forContainer id: String) -> String {
        parent + "/" + id
    }

    /// How many times the OOM killer killed a process in the cgroup (`oom_kill` in cgroup v1
    /// `memory.oom_control` or v2 `memory.events`); `nil` if the cgroup or counter is not there.
    public func oomKillCount(cgroupsPath: String) -> Int? {
        let file = version == .unified
            ? root + cgroupsPath + "/memory.events"
            : root + "/memory" + cgroupsPath + "/memory.oom_control"
        return (try? String(contentsOfFile: file, encoding: .utf8)).flatMap(Self.oomKills(in:))
    }

    /// The `oom_kill N` counter of a memory.oom_control or memory.events file.
    static func oomKills(in text: String) -> Int? {
        text.split(separator: "\n").lazy.compactMap { line -> Int? in
            let fields = line.split(separator: " ")
            return fields.count == 2 && fields[0] == "oom_kill" ? Int(fields[1]) : nil
        }.first
    }

    /// Removes a deleted container's cgroup from every hierarchy (where the runtime left it).
    public func removeLeftovers(cgroupsPath: String) {
        for hierarchy in Self.hierarchies(root: root, version: version) {
            rmdir(hierarchy + cgroupsPath)
        }
    }

    /// Removes the parent directories that runtimes created (deepest first; non-empty ones stay).
    public func removeCreatedParents() {
        for directory in missingParents.sorted(by: { $0.count > $1.count }) {
            rmdir(directory)
        }
    }

    /// The mounted hierarchies: the root itself on unified hosts, else each v1 controller directory (and the
    /// unified mount of a hybrid host).
    static func hierarchies(root: String, version: Version) -> [String] {
        guard version != .unified else { return [root] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.sorted().map { root + "/" + $0 }.filter { path in
            // Skip the symlinks (cpu → cpu,cpuacct) so that each hierarchy is visited once.
            (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) == nil
        }
    }
}
