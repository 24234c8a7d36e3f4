/// Why a container's OCI spec could not be built.
public enum SpecError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Neither the container nor its image names a process to run.
    case noCommand
    /// The image's `User` names a user or group absent from the rootfs' passwd/group files.
    case unknownUser(String)

    public var description: String {
        switch self {
        case .noCommand: "no command specified"
        case .unknownUser(let user): "unable to find user \(user): no matching entries in passwd file"
        }
    }
}
