import ContainerRuntime

/// The result of preparing a pod's volumes.
public struct PreparedVolumes: Hashable, Sendable {
    /// The host path of each volume by volume name (its directory below the pod's, or the hostPath itself).
    public var volumePaths: [String: String]
    /// The bind mounts of each container (init and app containers) by container name, in `volumeMounts` order.
    public var mounts: [String: [BindMount]]

    public init(volumePaths: [String: String] = [:], mounts: [String: [BindMount]] = [:]) {
        self.volumePaths = volumePaths
        self.mounts = mounts
    }
}
