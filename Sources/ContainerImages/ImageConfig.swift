import Foundation

/// What the runtime needs from an image's config blob (the OCI image configuration, which Docker's shares):
/// the process defaults and the layers' diffIDs.
///
/// Kubernetes maps a container's `command` over ``entrypoint`` and `args` over ``cmd``; nil and empty differ
/// there (an image without an Entrypoint runs its Cmd), so both stay optional.
public struct ImageConfig: Sendable, Equatable, Codable {
    public var entrypoint: [String]?
    public var cmd: [String]?
    /// `NAME=value` strings, in image order.
    public var env: [String]
    /// Empty when the image sets none (the runtime then uses `/`).
    public var workingDir: String
    /// `user`, `uid`, `user:group` or `uid:gid`; empty for root.
    public var user: String
    /// `port/protocol` strings such as `80/tcp`, sorted.
    public var exposedPorts: [String]
    public var labels: [String: String]
    public var stopSignal: String?
    public var os: String
    public var architecture: String
    /// The sha256 of each uncompressed layer tar, lowest layer first.
    public var diffIDs: [Digest]

    /// Decodes the config JSON of an image.
    public init(json: Data) throws {
        let document: ConfigDocument
        do { document = try JSONDecoder().decode(ConfigDocument.self, from: json) } catch {
            throw ImageStoreError.invalidArchive("image config does not decode: \(error)")
        }
        let process = document.config ?? ConfigDocument.Process()
        entrypoint = process.entrypoint
        cmd = process.cmd
        env = process.env ?? []
        workingDir = process.workingDir ?? ""
        user = process.user ?? ""
        exposedPorts = (process.exposedPorts ?? [:]).keys.sorted()
        labels = process.labels ?? [:]
        stopSignal = process.stopSignal
        os = document.os ?? ""
        architecture = document.architecture ?? ""
        diffIDs = document.rootfs?.diffIDs ?? []
    }
}

/// The JSON shape of an image config, as far as it is read.
private struct ConfigDocument: Decodable {
    struct Process: Decodable {
        var entrypoint: [String]?
        var cmd: [String]?
        var env: [String]?
        var workingDir: String?
        var user: String?
        var exposedPorts: [String: Empty]?
        var labels: [String: String]?
        var stopSignal: String?

        enum CodingKeys: String, CodingKey {
            case entrypoint = "Entrypoint", cmd = "Cmd", env = "Env", workingDir = "WorkingDir", user = "User"
            case exposedPorts = "ExposedPorts", labels = "Labels", stopSignal = "StopSignal"
        }
    }

    struct Empty: Decodable {}

    struct RootFS: Decodable {
        var diffIDs: [Digest]?

        enum CodingKeys: String, CodingKey { case diffIDs = "diff_ids" }
    }

    var config: Process?
    var os: String?
    var architecture: String?
    var rootfs: RootFS?
}
