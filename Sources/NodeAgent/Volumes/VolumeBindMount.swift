/// A host path bind-mounted into one container, produced by `PodVolumes.prepare`.
///
/// Mirrors `ContainerRuntime.BindMount` field for field (`source`, `destination`, `readOnly`); the node agent
/// maps one to the other when it builds a container's spec (NodeAgent does not depend on ContainerRuntime yet).
public struct VolumeBindMount: Hashable, Sendable {
    /// The host path: a volume's directory, a file or directory below it (`subPath`), or a hostPath.
    public var source: String
    /// `volumeMount.mountPath` inside the container.
    public var destination: String
    public var readOnly: Bool

    public init(source: String, destination: String, readOnly: Bool = false) {
        self.source = source
        self.destination = destination
        self.readOnly = readOnly
    }
}

/// The result of preparing a pod's volumes.
public struct PreparedVolumes: Hashable, Sendable {
    /// The host path of each volume by volume name (its directory below the pod's, or the hostPath itself).
    public var volumePaths: [String: String]
    /// The bind mounts of each container (init and app containers) by container name, in `volumeMounts` order.
    public var mounts: [String: [VolumeBindMount]]

    public init(volumePaths: [String: String] = [:], mounts: [String: [VolumeBindMount]] = [:]) {
        self.volumePaths = volumePaths
        self.mounts = mounts
    }
}
