/// The parts of an OCI image's `config` that decide how its container runs (the image store maps its own
/// representation onto this).
///
/// `user` is the image's `User` string: `uid`, `uid:gid`, `name` or `name:group`; names are resolved against
/// the rootfs' `/etc/passwd` and `/etc/group` by the caller (`UserDatabase`).
public struct ImageConfig: Hashable, Sendable, Codable {
    public var entrypoint: [String]?
    public var cmd: [String]?
    /// `NAME=value` entries, in order.
    public var env: [String]
    public var workingDir: String?
    public var user: String?

    public init(entrypoint: [String]? = nil, cmd: [String]? = nil, env: [String] = [], workingDir: String? = nil,
                user: String? = nil) {
        self.entrypoint = entrypoint
        self.cmd = cmd
        self.env = env
        self.workingDir = workingDir
        self.user = user
    }
}
