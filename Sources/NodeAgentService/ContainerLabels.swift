import Foundation

/// What the agent writes next to each container's bundle (`skiff-container.json`), so that an agent that
/// restarts can map the runtime's containers back to pods: the pod's uid, namespace and name, the
/// container's name (empty for the sandbox), its restart count, start time and log path.
public struct ContainerLabels: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case sandbox, container
    }

    public static let fileName = "skiff-container.json"

    public var kind: Kind
    public var podUID: String
    public var podNamespace: String
    public var podName: String
    /// The container's name; empty for the sandbox.
    public var containerName: String
    public var restartCount: Int
    public var startedAt: Date?
    public var logPath: String?
    /// The absolute cgroup path the container was created with.
    public var cgroupsPath: String

    public init(kind: Kind, podUID: String, podNamespace: String, podName: String, containerName: String = "",
                restartCount: Int = 0, startedAt: Date? = nil, logPath: String? = nil, cgroupsPath: String) {
        self.kind = kind
        self.podUID = podUID
        self.podNamespace = podNamespace
        self.podName = podName
        self.containerName = containerName
        self.restartCount = restartCount
        self.startedAt = startedAt
        self.logPath = logPath
        self.cgroupsPath = cgroupsPath
    }

    /// Writes the labels into `bundle` (created when missing).
    public func write(bundle: String) throws {
        try FileManager.default.createDirectory(atPath: bundle, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(self).write(to: URL(fileURLWithPath: bundle + "/" + Self.fileName), options: .atomic)
    }

    /// The labels in `bundle`, or nil when there are none (not a container of ours).
    public static func read(bundle: String) -> ContainerLabels? {
        guard let data = FileManager.default.contents(atPath: bundle + "/" + fileName) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(ContainerLabels.self, from: data)
    }
}
