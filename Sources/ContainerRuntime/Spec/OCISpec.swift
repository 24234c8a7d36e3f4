/// The OCI runtime configuration (`config.json` of a bundle, runtime-spec 1.0.2): the subset Skiff writes.
///
/// Field names and JSON shapes follow the runtime spec exactly; `nil` fields are left out of the encoding.
public struct OCISpec: Codable, Hashable, Sendable {
    /// The spec version written into every bundle.
    public static let version = "1.0.2"

    public var ociVersion: String
    public var process: Process
    public var root: Root
    public var hostname: String?
    public var mounts: [Mount]
    public var linux: Linux

    public init(ociVersion: String = OCISpec.version, process: Process, root: Root, hostname: String? = nil,
                mounts: [Mount], linux: Linux) {
        self.ociVersion = ociVersion
        self.process = process
        self.root = root
        self.hostname = hostname
        self.mounts = mounts
        self.linux = linux
    }

    /// The container's init process.
    public struct Process: Codable, Hashable, Sendable {
        public var terminal: Bool
        public var user: User
        public var args: [String]
        public var env: [String]
        public var cwd: String
        public var capabilities: Capabilities?
        public var noNewPrivileges: Bool?
        public var oomScoreAdj: Int?

        public init(terminal: Bool = false, user: User, args: [String], env: [String], cwd: String,
                    capabilities: Capabilities? = nil, noNewPrivileges: Bool? = nil, oomScoreAdj: Int? = nil) {
            self.terminal = terminal
            self.user = user
            self.args = args
            self.env = env
            self.cwd = cwd
            self.capabilities = capabilities
            self.noNewPrivileges = noNewPrivileges
            self.oomScoreAdj = oomScoreAdj
        }
    }

    /// Numeric identity of the init process.
    public struct User: Codable, Hashable, Sendable {
        public var uid: UInt32
        public var gid: UInt32
        public var additionalGids: [UInt32]?

        public init(uid: UInt32, gid: UInt32, additionalGids: [UInt32]? = nil) {
            self.uid = uid
            self.gid = gid
            self.additionalGids = additionalGids
        }
    }

    /// Capability sets (names such as `CAP_CHOWN`).
    public struct Capabilities: Codable, Hashable, Sendable {
        public var bounding: [String]
        public var effective: [String]
        public var inheritable: [String]
        public var permitted: [String]
        public var ambient: [String]

        public init(bounding: [String], effective: [String], inheritable: [String] = [], permitted: [String],
                    ambient: [String] = []) {
            self.bounding = bounding
            self.effective = effective
            self.inheritable = inheritable
            self.permitted = permitted
            self.ambient = ambient
        }
    }

    public struct Root: Codable, Hashable, Sendable {
        public var path: String
        public var readonly: Bool

        public init(path: String, readonly: Bool) {
            self.path = path
            self.readonly = readonly
        }
    }

    public struct Mount: Codable, Hashable, Sendable {
        public var destination: String
        public var type: String?
        public var source: String?
        public var options: [String]?

        public init(destination: String, type: String? = nil, source: String? = nil, options: [String]? = nil) {
            self.destination = destination
            self.type = type
            self.source = source
            self.options = options
        }
    }

    /// Linux-specific configuration.
    public struct Linux: Codable, Hashable, Sendable {
        public var namespaces: [Namespace]
        public var resources: Resources?
        public var cgroupsPath: String?
        public var maskedPaths: [String]?
        public var readonlyPaths: [String]?
        /// Kernel parameters set in the container's namespaces.
        public var sysctl: [String: String]?

        public init(namespaces: [Namespace], resources: Resources? = nil, cgroupsPath: String? = nil,
                    sysctl: [String: String]? = nil, maskedPaths: [String]? = nil, readonlyPaths: [String]? = nil) {
            self.namespaces = namespaces
            self.resources = resources
            self.cgroupsPath = cgroupsPath
            self.sysctl = sysctl
            self.maskedPaths = maskedPaths
            self.readonlyPaths = readonlyPaths
        }
    }

    /// A namespace to create (`path == nil`) or to join (`path` of a namespace file such as `/var/run/netns/x`).
    public struct Namespace: Codable, Hashable, Sendable {
        public var type: String
        public var path: String?

        public init(type: String, path: String? = nil) {
            self.type = type
            self.path = path
        }
    }

    /// cgroup settings.
    public struct Resources: Codable, Hashable, Sendable {
        public var devices: [DeviceRule]?
        public var memory: Memory?
        public var cpu: CPU?

        public init(devices: [DeviceRule]? = nil, memory: Memory? = nil, cpu: CPU? = nil) {
            self.devices = devices
            self.memory = memory
            self.cpu = cpu
        }
    }

    public struct DeviceRule: Codable, Hashable, Sendable {
        public var allow: Bool
        public var access: String?

        public init(allow: Bool, access: String? = nil) {
            self.allow = allow
            self.access = access
        }
    }

    /// Memory limits in bytes; `swap` is memory plus swap (cgroup v1 `memsw`), as the spec defines it.
    public struct Memory: Codable, Hashable, Sendable {
        public var limit: Int64?
        public var swap: Int64?

        public init(limit: Int64? = nil, swap: Int64? = nil) {
            self.limit = limit
            self.swap = swap
        }
    }

    public struct CPU: Codable, Hashable, Sendable {
        public var shares: UInt64?
        public var quota: Int64?
        public var period: UInt64?

        public init(shares: UInt64? = nil, quota: Int64? = nil, period: UInt64? = nil) {
            self.shares = shares
            self.quota = quota
            self.period = period
        }
    }
}
