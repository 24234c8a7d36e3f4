import Foundation

/// The OCI runtime executable Skiff drives, found on the machine.
///
/// runc is preferred: it works as is on hybrid-cgroup hosts. crun 1.8 refuses to create containers when the
/// cgroup2 mount of a hybrid host has controllers (`cgroups in hybrid mode not supported`); there it is run
/// in a private mount namespace without that mount (`unshare -m … umount /sys/fs/cgroup/unified`), which the
/// research probe measured at about 8 ms per create.
public struct RuntimeBinary: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case runc, crun
    }

    public var kind: Kind
    public var path: String
    /// A command that `create` and `run` go through (the crun workaround), else empty.
    public var createWrapper: [String]

    public init(kind: Kind, path: String, createWrapper: [String] = []) {
        self.kind = kind
        self.path = path
        self.createWrapper = createWrapper
    }

    /// The first runtime found on `searchPath` (default: `$PATH` plus the sbin directories), runc before crun
    /// unless `preferring` says otherwise; `nil` when neither is installed.
    public static func detect(preferring preferred: Kind = .runc, searchPath: [String]? = nil,
                              cgroups: CgroupLayout.Version = CgroupLayout.Version.detect()) -> RuntimeBinary? {
        let directories = searchPath ?? defaultSearchPath()
        let order: [Kind] = preferred == .runc ? [.runc, .crun] : [.crun, .runc]
        for kind in order {
            guard let path = directories.map({ "\($0)/\(kind.rawValue)" })
                .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { continue }
            return RuntimeBinary(kind: kind, path: path, createWrapper: wrapper(for: kind, cgroups: cgroups))
        }
        return nil
    }

    /// The arguments that run `runtime <arguments>`; `creating` selects the wrapper where one is needed.
    public func command(_ arguments: [String], creating: Bool = false) -> [String] {
        (creating ? createWrapper : []) + [path] + arguments
    }

    static func wrapper(for kind: Kind, cgroups: CgroupLayout.Version) -> [String] {
        guard kind == .crun, case .hybrid(let controllers) = cgroups, !controllers.isEmpty else { return [] }
        return ["/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", "-c",
                "umount /sys/fs/cgroup/unified 2>/dev/null; exec \"$@\"", "crun-wrapper"]
    }

    private static func defaultSearchPath() -> [String] {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map(String.init) + ["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin"]
    }
}
