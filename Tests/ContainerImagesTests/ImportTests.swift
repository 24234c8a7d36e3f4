import Foundation
import Testing

@testable import ContainerImages

#if canImport(Glibc)
import Glibc
#endif

@Suite struct ImportTests {
    @Test func importsTheOCIArchiveFromTheScript() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let archives = try buildTestImage(into: scratch.url)
        let records = try scratch.store.import(archive: archives.oci)

        #expect(records.map(\.reference) == ["skiff.test/busybox:1.0"])
        let image = try #require(records.first)
        #expect(image.layers.map(\.mediaType) == [MediaType.ociLayerGzip])
        #expect(try scratch.store.list() == records)
        try expectBusyboxImage(image, in: scratch.store)
    }

    @Test func importsTheDockerArchiveFromTheScript() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let archives = try buildTestImage(into: scratch.url)
        let records = try scratch.store.import(archive: archives.docker)

        #expect(records.map(\.reference) == ["skiff.test/busybox:1.0"])
        let image = try #require(records.first)
        #expect(image.layers.map(\.mediaType) == [MediaType.ociLayer])
        #expect(image.layers.map(\.digest) == image.layers.map(\.diffID))
        // The store wrote an OCI manifest for the image, so it has a manifest digest like any other.
        let manifest = try JSONDecoder().decode(Manifest.self, from: scratch.store.blobs.read(image.manifestDigest))
        #expect(manifest.config.digest == image.configDigest)
        try expectBusyboxImage(image, in: scratch.store)
    }

    @Test func bothFormatsShareTheImageConfigAndTheUnpackedLayer() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let archives = try buildTestImage(into: scratch.url)
        let oci = try #require(try scratch.store.import(archive: archives.oci).first)
        let docker = try #require(try scratch.store.import(archive: archives.docker).first)

        #expect(oci.configDigest == docker.configDigest)
        #expect(oci.layers.map(\.diffID) == docker.layers.map(\.diffID))
        #expect(scratch.storeEntries("layers/sha256") == [oci.layers[0].diffID.hex])
    }

    @Test func reimportChangesNothing() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let archives = try buildTestImage(into: scratch.url)
        for archive in [archives.oci, archives.docker] {
            let first = try scratch.store.import(archive: archive)
            let blobs = scratch.storeEntries("blobs/sha256")
            let index = try Data(contentsOf: scratch.file("images/index.json"))
            let second = try scratch.store.import(archive: archive)
            #expect(second == first)
            #expect(scratch.storeEntries("blobs/sha256") == blobs)
            #expect(try Data(contentsOf: scratch.file("images/index.json")) == index)
            #expect(scratch.storeEntries("tmp").isEmpty)
        }
    }

    @Test func importsAGzippedArchive() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let archives = try buildTestImage(into: scratch.url)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gzip.arguments = ["gzip", "-k", archives.docker.path]
        try gzip.run()
        gzip.waitUntilExit()
        let records = try scratch.store.import(archive: URL(fileURLWithPath: archives.docker.path + ".gz"))
        #expect(records.map(\.reference) == ["skiff.test/busybox:1.0"])
        #expect(scratch.storeEntries("tmp").isEmpty)
    }

    @Test func readsTheImageConfig() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var layer = TarWriter()
        layer.file("bin/app", "#!/bin/sh\n", mode: 0o755)
        let archive = try write(ociArchive(layers: [layer.finished], reference: "example.com/app:2"), "app.tar", in: scratch)
        let image = try #require(try scratch.store.import(archive: archive).first)
        let config = try scratch.store.config(for: image)

        #expect(image.reference == "example.com/app:2")
        #expect(config.entrypoint == ["/bin/app"])
        #expect(config.cmd == ["--serve"])
        #expect(config.env == ["A=1"])
        #expect(config.workingDir == "/work")
        #expect(config.user == "1000:1000")
        #expect(config.exposedPorts == ["53/udp", "8080/tcp"])
        #expect(config.diffIDs == image.layers.map(\.diffID))
    }

    @Test func unnamedImagesNeedADefaultName() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let original = try DockerArchiveParts(try buildTestImage(into: scratch.url).docker)
        var unnamed = TarWriter()
        unnamed.add("manifest.json", .file, mode: 0o644, content: try original.manifest(repoTags: nil, layer: original.layer))
        unnamed.add(original.config, .file, mode: 0o644, content: try original.members.read(original.config))
        unnamed.add(original.layer, .file, mode: 0o644, content: try original.members.read(original.layer))
        let archive = try write(unnamed.finished, "unnamed.tar", in: scratch)

        #expect(throws: ImageStoreError.self) { try scratch.store.import(archive: archive) }
        let records = try scratch.store.import(archive: archive, defaultName: "local/unnamed:1")
        #expect(records.map(\.reference) == ["docker.io/local/unnamed:1"])
    }

    /// skopeo's docker-archive names layers `<id>/layer.tar`, a symlink to `<diffid>.tar`; links are followed
    /// inside the archive only.
    @Test func layerSymlinksAreFollowedInsideTheArchiveOnly() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let original = try DockerArchiveParts(try buildTestImage(into: scratch.url).docker)
        func archive(linkingTo target: String, _ name: String) throws -> URL {
            var linked = TarWriter()
            linked.add("manifest.json", .file, mode: 0o644,
                       content: try original.manifest(repoTags: ["skiff.test/linked:1"], layer: "legacy/layer.tar"))
            linked.add(original.config, .file, mode: 0o644, content: try original.members.read(original.config))
            linked.add("layer-by-diffid.tar", .file, mode: 0o644, content: try original.members.read(original.layer))
            linked.directory("legacy/")
            linked.symlink("legacy/layer.tar", to: target)
            return try write(linked.finished, name, in: scratch)
        }
        let records = try scratch.store.import(archive: archive(linkingTo: "../layer-by-diffid.tar", "inside.tar"))
        #expect(records.map(\.reference) == ["skiff.test/linked:1"])

        try Data("not a layer".utf8).write(to: scratch.file("outside.tar"))
        #expect(throws: ImageStoreError.invalidArchive("the archive has no file legacy/layer.tar")) {
            try scratch.store.import(archive: archive(linkingTo: "../../outside.tar", "escaping.tar"))
        }
    }
}

/// Checks the unpacked busybox image that scripts/build-test-image.sh makes.
func expectBusyboxImage(_ image: ImageRecord, in store: ImageStore) throws {
    let config = try store.config(for: image)
    #expect(config.cmd == ["sh"])
    #expect(config.entrypoint == nil)
    #expect(config.env.contains { $0.hasPrefix("PATH=") })

    let directories = try store.layerDirectories(for: image)
    #expect(directories.count == 1)
    let root = try #require(directories.first).path
    let manager = FileManager.default
    #expect(manager.isExecutableFile(atPath: root + "/bin/busybox"))
    for applet in ["sh", "sleep", "echo", "cat", "ls", "wget", "nc", "httpd", "id", "env"] {
        #expect(try manager.destinationOfSymbolicLink(atPath: "\(root)/bin/\(applet)") == "busybox")
    }
    var tmp = stat()
    #expect(lstat(root + "/tmp", &tmp) == 0 && tmp.st_mode & 0o7777 == 0o1777)
}
