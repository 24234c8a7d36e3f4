import Foundation
import Logging

@testable import ContainerImages

/// A fresh directory for one test, removed by ``remove()``.
struct Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-images-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The store under test, logging only warnings and errors.
    var store: ImageStore {
        var logger = Logger(label: "skiff.images.test")
        logger.logLevel = .warning
        return ImageStore(root: url.appendingPathComponent("images"), logger: logger)
    }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Names inside a store subdirectory (`blobs/sha256`, `layers/sha256`, `tmp`), sorted.
    func storeEntries(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url.appendingPathComponent("images/\(path)").path)) ?? []).sorted()
    }

    /// Whether the store holds nothing: no image, blob, unpacked layer or temporary file.
    var storeIsEmpty: Bool {
        (try? store.list().isEmpty) == true && ["blobs/sha256", "layers/sha256", "tmp"].allSatisfy { storeEntries($0).isEmpty }
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Runs `scripts/build-test-image.sh` into `directory`; returns the oci-archive and docker-archive paths.
func buildTestImage(into directory: URL, reference: String = "skiff.test/busybox:1.0") throws -> (oci: URL, docker: URL) {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let process = Process()
    process.executableURL = repository.appendingPathComponent("scripts/build-test-image.sh")
    process.arguments = [directory.path, reference]
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw ImageStoreError.invalidArchive("build-test-image.sh exited \(process.terminationStatus)")
    }
    return (directory.appendingPathComponent("busybox-oci.tar"), directory.appendingPathComponent("busybox-docker.tar"))
}

/// Builds an oci-archive whose image has the given layer tars (lowest first) and is named `reference`.
/// `corruptLayer` replaces that layer's bytes in the archive while keeping the digest the manifest declares.
func ociArchive(layers: [Data], reference: String, corruptLayer: Int? = nil) throws -> Data {
    let config = try JSONSerialization.data(withJSONObject: [
        "architecture": Platform.hostArchitecture, "os": "linux",
        "config": ["Entrypoint": ["/bin/app"], "Cmd": ["--serve"], "Env": ["A=1"], "WorkingDir": "/work",
                   "User": "1000:1000", "ExposedPorts": ["8080/tcp": [:], "53/udp": [:]]],
        "rootfs": ["type": "layers", "diff_ids": layers.map { Digest.of($0).description }],
    ], options: [.sortedKeys])
    let layerDescriptors = layers.map { ["mediaType": MediaType.ociLayer, "digest": Digest.of($0).description, "size": $0.count] as [String: Any] }
    let manifest = try JSONSerialization.data(withJSONObject: [
        "schemaVersion": 2, "mediaType": MediaType.ociManifest,
        "config": ["mediaType": MediaType.ociConfig, "digest": Digest.of(config).description, "size": config.count],
        "layers": layerDescriptors,
    ], options: [.sortedKeys])
    let index = try JSONSerialization.data(withJSONObject: [
        "schemaVersion": 2,
        "manifests": [["mediaType": MediaType.ociManifest, "digest": Digest.of(manifest).description, "size": manifest.count,
                       "annotations": [Annotation.containerdName: reference]]],
    ], options: [.sortedKeys])
    var archive = TarWriter()
    archive.file("oci-layout", #"{"imageLayoutVersion":"1.0.0"}"#)
    archive.add("index.json", .file, mode: 0o644, content: index)
    for blob in [config, manifest] {
        archive.add("blobs/sha256/\(Digest.of(blob).hex)", .file, mode: 0o644, content: blob)
    }
    for (position, layer) in layers.enumerated() {
        var content = layer
        if position == corruptLayer { content[content.count - 1024 - 1] ^= 0xff }
        archive.add("blobs/sha256/\(Digest.of(layer).hex)", .file, mode: 0o644, content: content)
    }
    return archive.finished
}

/// Writes `data` to `name` in the scratch directory and returns its URL.
func write(_ data: Data, _ name: String, in scratch: Scratch) throws -> URL {
    let url = scratch.file(name)
    try data.write(to: url)
    return url
}

/// The parts of a single-image docker-archive, for tests that rebuild it with changes.
struct DockerArchiveParts {
    let members: ArchiveMembers
    /// The config and layer member names from manifest.json.
    let config: String
    let layer: String

    init(_ archive: URL) throws {
        members = try ArchiveMembers(path: archive.path)
        let manifest = try JSONDecoder().decode([DockerArchiveEntry].self, from: members.read("manifest.json"))
        config = manifest[0].config
        layer = manifest[0].layers[0]
    }

    /// A manifest.json for the same config with other tags and layer member name.
    func manifest(repoTags: [String]?, layer: String) throws -> Data {
        try JSONSerialization.data(withJSONObject: [["Config": config, "RepoTags": repoTags ?? NSNull(), "Layers": [layer]] as [String: Any]])
    }
}
