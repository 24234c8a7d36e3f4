import ContainerRuntime
import APIModel

/// The bind mounts of a pod's containers, as the kubelet's `makeMounts`.
///
/// Contract:
/// - One mount per `volumeMount`, in order, for init and app containers: `source` is the volume's host path
///   (joined with `subPath` when set), `destination` is `mountPath`, `readOnly` is `volumeMount.readOnly`, or
///   always for configMap, secret, downwardAPI and projected volumes.
/// - `subPath` must be relative without `..`; when nothing exists there it is created as a directory (0750) as
///   the kubelet does, and after resolving symlinks it must stay inside the volume (a symlink out throws
///   `VolumeError.invalidPath`). For hostPath volumes the subPath is joined but never created.
/// - `subPathExpr` is not supported yet (`VolumeError.unsupportedVolume`); a mount naming no volume throws
///   `VolumeError.unknownVolume`.
enum ContainerMounts {
    static func mounts(for pod: Pod, volumes: [VolumePlan],
                       paths: [String: String]) throws -> [String: [BindMount]] {
        let plans = Dictionary(volumes.map { ($0.name, $0) }) { first, _ in first }
        var result: [String: [BindMount]] = [:]
        let containers = (pod.spec?.initContainers ?? []) + (pod.spec?.containers ?? [])
        for container in containers {
            let name = container.name ?? ""
            result[name] = try (container.volumeMounts ?? []).map { mount in
                try bindMount(mount, container: name, plans: plans, paths: paths)
            }
        }
        return result
    }

    private static func bindMount(_ mount: VolumeMount, container: String, plans: [String: VolumePlan],
                                  paths: [String: String]) throws -> BindMount {
        let volume = mount.name ?? ""
        guard let plan = plans[volume], let volumePath = paths[volume] else {
            throw VolumeError.unknownVolume(volume, container: container)
        }
        if let expression = mount.subPathExpr, !expression.isEmpty {
            throw VolumeError.unsupportedVolume(volume,
                                                reason: "subPathExpr is not supported yet (container \"\(container)\")")
        }
        var source = volumePath
        if let subPath = mount.subPath, !subPath.isEmpty {
            source = try subPathSource(subPath, in: volumePath, creating: !plan.isHostPath)
        }
        return BindMount(source: source, destination: mount.mountPath ?? "",
                               readOnly: (mount.readOnly ?? false) || plan.forcesReadOnly)
    }

    private static func subPathSource(_ subPath: String, in volumePath: String, creating: Bool) throws -> String {
        try VolumePath.validate(subPath)
        let source = "\(volumePath)/\(subPath)"
        guard creating else { return source }
        if !FileSystem.entryExists(source) { try FileSystem.makeDirectory(source, mode: 0o750) }
        let root = try FileSystem.resolved(volumePath)
        let resolved = try FileSystem.resolved(source)
        guard resolved == root || resolved.hasPrefix(root + "/") else {
            throw VolumeError.invalidPath(subPath, reason: "resolves outside the volume")
        }
        return source
    }
}

extension VolumePlan {
    var isHostPath: Bool {
        if case .hostPath = kind { return true }
        return false
    }
}
