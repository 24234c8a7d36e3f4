import APIModel

/// Everything the spec builder needs for one container: the image, the Kubernetes container, the pod it runs
/// in, and the host paths the node agent prepared for it.
public struct ContainerSpecRequest: Sendable {
    public var image: ImageConfig
    public var container: Container
    /// Pod-level defaults for runAsUser, runAsGroup, fsGroup and supplementalGroups.
    public var podSecurityContext: PodSecurityContext?
    /// Values of the container's `valueFrom` variables, by name (resolved by the caller).
    public var resolvedEnv: [String: String]
    /// The service link variables (`<SVC>_SERVICE_HOST`, …) the container gets unless it defines them.
    public var serviceEnv: [String: String]
    public var sandbox: PodSandbox
    /// Volume mounts, already resolved to host paths.
    public var mounts: [BindMount]
    /// The container's root filesystem (an unpacked or overlay-mounted image).
    public var rootfs: String
    /// An absolute cgroup path, computed by the caller (see `CgroupLayout`).
    public var cgroupsPath: String
    /// The rootfs' users and groups, for images whose `User` is a name.
    public var users: UserDatabase
    /// The process's `oom_score_adj` (see `OOMScoreAdjust`); `nil` leaves the runtime's default.
    public var oomScoreAdj: Int?

    public init(image: ImageConfig, container: Container, podSecurityContext: PodSecurityContext? = nil,
                resolvedEnv: [String: String] = [:], serviceEnv: [String: String] = [:], sandbox: PodSandbox,
                mounts: [BindMount] = [], rootfs: String, cgroupsPath: String, users: UserDatabase = .empty,
                oomScoreAdj: Int? = nil) {
        self.image = image
        self.container = container
        self.podSecurityContext = podSecurityContext
        self.resolvedEnv = resolvedEnv
        self.serviceEnv = serviceEnv
        self.sandbox = sandbox
        self.mounts = mounts
        self.rootfs = rootfs
        self.cgroupsPath = cgroupsPath
        self.users = users
        self.oomScoreAdj = oomScoreAdj
    }
}
