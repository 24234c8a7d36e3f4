import APIModel
import Foundation
@testable import NodeAgent

/// A temporary pods directory, removed when the test ends (`defer { fixture.remove() }`).
struct VolumeFixture {
    let root: String
    let volumes: PodVolumes

    init() {
        root = NSTemporaryDirectory() + "skiff-volumes-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        volumes = PodVolumes(podsDirectory: root + "/pods")
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    @discardableResult
    func prepare(_ pod: Pod, _ sources: VolumeSources = VolumeSources()) throws -> PreparedVolumes {
        try volumes.prepare(pod, sources: sources)
    }

    /// The `VolumeError` preparing `pod` throws, nil when it succeeds or throws something else.
    func error(_ pod: Pod, _ sources: VolumeSources = VolumeSources()) -> VolumeError? {
        volumeError { try prepare(pod, sources) }
    }

    /// The directory of volume `name` of kind `kind` for the pod `volumePod` builds.
    func volumeDirectory(_ kind: String, _ name: String, uid: String = "uid-vol") -> String {
        "\(root)/pods/\(uid)/volumes/kubernetes.io~\(kind)/\(name)"
    }

    /// A file's text, nil when unreadable.
    func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    /// A file's permission bits (after following symlinks).
    func mode(_ path: String) -> Int? {
        guard let resolved = try? FileSystem.resolved(path) else { return nil }
        return (try? FileManager.default.attributesOfItem(atPath: resolved))?[.posixPermissions] as? Int
    }
}

/// A pod `web` (uid `uid-vol`) with `volumes` and one container `app` mounting `mounts`.
func volumePod(_ volumes: [Volume], mounts: [VolumeMount] = [], labels: [String: String]? = nil,
               annotations: [String: String]? = nil, uid: String = "uid-vol") -> Pod {
    Pod(metadata: ObjectMeta(annotations: annotations, labels: labels, name: "web", namespace: "default", uid: uid),
        spec: PodSpec(containers: [Container(image: "busybox", name: "app", volumeMounts: mounts)], volumes: volumes))
}

func configMap(_ name: String, _ data: [String: String]) -> ConfigMap {
    ConfigMap(metadata: ObjectMeta(name: name, namespace: "default"), data: data)
}

/// Sources holding the configMap `settings` with `data`.
func settings(_ data: [String: String]) -> VolumeSources {
    VolumeSources(configMaps: ["settings": configMap("settings", data)])
}

func secret(_ name: String, _ data: [String: String]) -> Secret {
    Secret(metadata: ObjectMeta(name: name, namespace: "default"), data: data.mapValues { Data($0.utf8) })
}

/// The `VolumeError` `body` throws, nil when it throws nothing or something else.
func volumeError(_ body: () throws -> Void) -> VolumeError? {
    do { try body() } catch let error as VolumeError { return error } catch { return nil }
    return nil
}
