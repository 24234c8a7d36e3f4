import Foundation

/// The output of `runc state` / `crun state`: the container's status and its init's pid (no exit code: the
/// driver collects that itself).
public struct ContainerState: Codable, Hashable, Sendable {
    public enum Status: String, Codable, Hashable, Sendable {
        case creating, created, running, paused, stopped
    }

    public var id: String
    public var status: Status
    /// The init's pid on the host (0 once stopped).
    public var pid: Int32
    public var bundle: String

    public init(id: String, status: Status, pid: Int32, bundle: String) {
        self.id = id
        self.status = status
        self.pid = pid
        self.bundle = bundle
    }

    /// Parses the runtime's JSON (fields other than these are ignored).
    public static func parse(_ json: Data) throws -> ContainerState {
        try JSONDecoder().decode(ContainerState.self, from: json)
    }
}
