/// Why a pod's volumes could not be prepared or mounted. The description is the message for the pod's
/// `FailedMount` event.
public enum VolumeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A relative path (item path, subPath, volume name, pod UID) that is empty, absolute, or climbs out.
    case invalidPath(String, reason: String)
    /// A configMap or secret that does not exist and is not optional.
    case objectNotFound(kind: String, name: String, volume: String)
    /// An `items` key missing from an existing configMap or secret that is not optional.
    case keyNotFound(kind: String, name: String, key: String, volume: String)
    /// A file mode outside 0...0777.
    case invalidMode(Int32, volume: String)
    /// The hostPath check of `type` failed.
    case hostPathCheckFailed(path: String, reason: String)
    /// A hostPath `type` the kubelet does not know.
    case invalidHostPathType(String)
    /// A downwardAPI `fieldRef` that volumes cannot expose.
    case unsupportedField(String, volume: String)
    /// A volume source (persistentVolumeClaim, nfs, resourceFieldRef, …) this node agent cannot prepare yet.
    case unsupportedVolume(String, reason: String)
    /// A `volumeMount` naming no volume of the pod.
    case unknownVolume(String, container: String)
    /// A filesystem call failed.
    case io(path: String, message: String)

    public var description: String {
        switch self {
        case .invalidPath(let path, let reason): "invalid path \"\(path)\": \(reason)"
        case .objectNotFound(let kind, let name, let volume):
            "volume \"\(volume)\": \(kind) \"\(name)\" not found (set optional: true to allow it)"
        case .keyNotFound(let kind, let name, let key, let volume):
            "volume \"\(volume)\": \(kind) \"\(name)\" has no key \"\(key)\""
        case .invalidMode(let mode, let volume):
            "volume \"\(volume)\": invalid file mode \(String(mode, radix: 8)) (must be within 0...0777)"
        case .hostPathCheckFailed(let path, let reason): "hostPath type check failed: \(path) \(reason)"
        case .invalidHostPathType(let type): "invalid HostPathType \"\(type)\""
        case .unsupportedField(let field, let volume): "volume \"\(volume)\": unsupported fieldPath \"\(field)\""
        case .unsupportedVolume(let name, let reason): "volume \"\(name)\": \(reason)"
        case .unknownVolume(let name, let container):
            "container \"\(container)\" mounts volume \"\(name)\", which the pod does not define"
        case .io(let path, let message): "\(path): \(message)"
        }
    }
}
