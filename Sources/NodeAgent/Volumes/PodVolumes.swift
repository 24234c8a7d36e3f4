import APIModel
import Foundation

/// Prepares a pod's volumes on the host and computes each container's bind mounts, as the kubelet's volume
/// manager and `makeMounts` do for the in-tree emptyDir, configMap, secret, downwardAPI, projected and hostPath
/// plugins.
///
/// Layout: `<podsDirectory>/<podUID>/volumes/<kind>/<volumeName>`, with the kubelet's plugin names as kinds
/// (`kubernetes.io~empty-dir`, `kubernetes.io~configmap`, `kubernetes.io~secret`, `kubernetes.io~downward-api`,
/// `kubernetes.io~projected`). A hostPath volume has no directory there: its source is the host path itself.
///
/// Contract:
/// - `prepare` is idempotent and is called again whenever the pod or its configMaps/secrets change: emptyDir
///   content is kept; configMap, secret, downwardAPI and projected files are rewritten through `AtomicWriter`
///   (the `..data` swap), so a running container sees the old or the new set of files, never a mix.
/// - Every volume is checked before the first one is written, so a missing non-optional object or a bad path
///   leaves the host unchanged; errors are `VolumeError`s whose description is the `FailedMount` message.
/// - emptyDir `medium: Memory` is a plain directory for now (no tmpfs: that needs root), `sizeLimit` is not
///   enforced, and `fsGroup` ownership is not applied.
/// - No API calls: configMaps, secrets and the service-account token come in `VolumeSources`.
public struct PodVolumes: Sendable {
    public let podsDirectory: String

    public init(podsDirectory: String) {
        self.podsDirectory = podsDirectory
    }

    /// The pod's directory, `<podsDirectory>/<podUID>`.
    public func podDirectory(_ podUID: String) -> String { "\(podsDirectory)/\(podUID)" }

    /// Prepares every volume of `pod` and returns the host path of each and the bind mounts of each container.
    public func prepare(_ pod: Pod, sources: VolumeSources, now: Date = Date()) throws -> PreparedVolumes {
        let metadata = pod.metadata ?? ObjectMeta()
        let uid = metadata.uid ?? ""
        try VolumePath.validateName(uid)
        let plans = try (pod.spec?.volumes ?? []).map { try plan($0, sources: sources, metadata: metadata) }
        var prepared = PreparedVolumes()
        for plan in plans {
            prepared.volumePaths[plan.name] = try apply(plan, podUID: uid, now: now)
        }
        prepared.mounts = try ContainerMounts.mounts(for: pod, volumes: plans, paths: prepared.volumePaths)
        return prepared
    }

    /// Removes the pod's directory and everything below it (volumes included); nothing there is not an error.
    /// Contract: call after every container of the pod has stopped; hostPath volumes are never touched.
    public func cleanUp(podUID: String) throws {
        try VolumePath.validateName(podUID)
        try FileSystem.remove(podDirectory(podUID))
    }

    /// Checks `volume` and computes its content without touching the host.
    private func plan(_ volume: Volume, sources: VolumeSources, metadata: ObjectMeta) throws -> VolumePlan {
        let name = volume.name ?? ""
        try VolumePath.validateName(name)
        if volume.emptyDir != nil { return VolumePlan(name: name, kind: .emptyDir) }
        if let hostPath = volume.hostPath {
            guard let path = hostPath.path, path.hasPrefix("/") else {
                throw VolumeError.invalidPath(hostPath.path ?? "", reason: "hostPath must be an absolute path")
            }
            return VolumePlan(name: name, kind: .hostPath(path: path, type: hostPath.type))
        }
        let builder = PayloadBuilder(volume: name, sources: sources, metadata: metadata)
        if let configMap = volume.configMap {
            return VolumePlan(name: name, kind: .files(.configMap, try builder.payload(configMap)))
        }
        if let secret = volume.secret {
            return VolumePlan(name: name, kind: .files(.secret, try builder.payload(secret)))
        }
        if let downwardAPI = volume.downwardAPI {
            return VolumePlan(name: name, kind: .files(.downwardAPI, try builder.payload(downwardAPI)))
        }
        if let projected = volume.projected {
            return VolumePlan(name: name, kind: .files(.projected, try builder.payload(projected)))
        }
        throw VolumeError.unsupportedVolume(name, reason: "this volume type is not supported by the node agent yet")
    }

    /// Makes `plan` real on the host and returns its host path.
    private func apply(_ plan: VolumePlan, podUID: String, now: Date) throws -> String {
        switch plan.kind {
        case .emptyDir:
            let directory = volumeDirectory(podUID, kind: "kubernetes.io~empty-dir", name: plan.name)
            try FileSystem.makeDirectory(directory, mode: 0o777)
            return directory
        case .hostPath(let path, let type):
            try HostPathCheck.check(path, type: type)
            return path
        case .files(let kind, let payload):
            let directory = volumeDirectory(podUID, kind: kind.rawValue, name: plan.name)
            try AtomicWriter(directory: directory).write(payload, now: now)
            return directory
        }
    }

    private func volumeDirectory(_ podUID: String, kind: String, name: String) -> String {
        "\(podDirectory(podUID))/volumes/\(kind)/\(name)"
    }
}

/// One volume checked and computed, before anything is written.
struct VolumePlan: Sendable {
    /// The kubelet plugin name of a volume written as files.
    enum FileKind: String, Sendable {
        case configMap = "kubernetes.io~configmap"
        case secret = "kubernetes.io~secret"
        case downwardAPI = "kubernetes.io~downward-api"
        case projected = "kubernetes.io~projected"
    }

    enum Kind: Sendable {
        case emptyDir
        case hostPath(path: String, type: String?)
        case files(FileKind, [String: FileProjection])
    }

    var name: String
    var kind: Kind

    /// Whether containers always mount it read-only (the kubelet's configMap, secret, downwardAPI and
    /// projected mounters report `ReadOnly`).
    var forcesReadOnly: Bool {
        if case .files = kind { return true }
        return false
    }
}
