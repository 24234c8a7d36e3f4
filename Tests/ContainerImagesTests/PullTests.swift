import Foundation
import Testing

@testable import ContainerImages

/// Pulls from Debian's Distribution registry, started by each test on 127.0.0.1 (never another host).
@Suite(.serialized) struct PullTests {
    /// A scratch directory, the test image's archives, and a registry holding nothing yet.
    struct Setup {
        let scratch: Scratch
        let archives: (oci: URL, docker: URL)
        let registry: DistributionRegistry

        init() throws {
            scratch = try Scratch()
            archives = try buildTestImage(into: scratch.file("image"))
            registry = try DistributionRegistry(scratch: scratch)
        }

        func tearDown() {
            registry.stop()
            scratch.remove()
        }
    }

    @Test func pullsAnOCIImageAsImportWouldStoreIt() async throws {
        let setup = try Setup()
        defer { setup.tearDown() }
        let pushed = try setup.registry.push(setup.archives.oci, tag: "1.0")
        let store = setup.scratch.store

        let record = try await store.pull(reference: "\(setup.registry.host)/skiff/busybox:1.0")
        #expect(record.reference == "\(setup.registry.host)/skiff/busybox:1.0")
        #expect(record.manifestDigest == pushed.manifest)
        #expect(record.configDigest == pushed.config)
        #expect(record.layers.map(\.digest) == pushed.layers)
        #expect(record.indexDigest == nil)
        #expect(try store.config(for: record).cmd == ["sh"])
        let layers = try store.layerDirectories(for: record)
        #expect(FileManager.default.fileExists(atPath: layers[0].appendingPathComponent("bin/busybox").path))
        #expect(try store.list() == [record])
        #expect(setup.scratch.storeEntries("tmp").isEmpty)

        // The same content imported from the archive gives the same config, layers and manifest.
        let other = try Scratch()
        defer { other.remove() }
        let imported = try #require(try other.store.import(archive: setup.archives.oci).first)
        #expect(imported.configDigest == record.configDigest)
        #expect(imported.layers == record.layers)
        #expect(imported.manifestDigest == record.manifestDigest)

        // Pulling again downloads no blob and keeps the record as it was.
        let blobGets = try setup.registry.blobGets()
        #expect(blobGets == 2)
        #expect(try await store.pull(reference: "\(setup.registry.host)/skiff/busybox:1.0") == record)
        #expect(try setup.registry.blobGets() == blobGets)
    }

    @Test func pullsDockerSchema2IndexesAndDigests() async throws {
        let setup = try Setup()
        defer { setup.tearDown() }
        let host = setup.registry.host
        let docker = try setup.registry.push(setup.archives.oci, tag: "docker", flags: ["--docker"])
        let indexed = try setup.registry.push(setup.archives.oci, tag: "multi", flags: ["--index"])
        let bare = try setup.registry.push(setup.archives.oci, tag: "bare", flags: ["--no-media-type"])
        let store = setup.scratch.store

        let dockerRecord = try await store.pull(reference: "\(host)/skiff/busybox:docker")
        #expect(dockerRecord.manifestDigest == docker.manifest)
        #expect(dockerRecord.layers.map(\.digest) == docker.layers)

        // An index resolves to this platform's manifest; the record keeps the index digest too.
        let indexRecord = try await store.pull(reference: "\(host)/skiff/busybox:multi")
        #expect(indexRecord.manifestDigest == indexed.manifest)
        #expect(indexRecord.indexDigest == indexed.index)
        #expect(indexRecord.digestReference == "\(host)/skiff/busybox@\(try #require(indexed.index))")
        #expect(try store.resolve(reference: indexRecord.digestReference)?.reference == indexRecord.reference)

        // A manifest without mediaType is typed by the registry's Content-Type.
        #expect(try await store.pull(reference: "\(host)/skiff/busybox:bare").manifestDigest == bare.manifest)

        // By digest: stored under name@digest, and resolvable by it.
        let byDigest = try await store.pull(reference: "\(host)/skiff/busybox@\(docker.manifest)")
        #expect(byDigest.reference == "\(host)/skiff/busybox@\(docker.manifest)")
        #expect(byDigest.manifestDigest == docker.manifest)
        let byIndexDigest = try await store.pull(reference: "\(host)/skiff/busybox@\(try #require(indexed.index))")
        #expect(byIndexDigest.manifestDigest == indexed.manifest)
        #expect(try store.list().count == 5)
    }

    @Test func unknownTagsAndRepositoriesAreClearErrors() async throws {
        let setup = try Setup()
        defer { setup.tearDown() }
        try setup.registry.push(setup.archives.oci, tag: "1.0")
        let store = setup.scratch.store
        for reference in ["skiff/busybox:2.0", "skiff/nothing:1.0"] {
            let error = await #expect(throws: ImageStoreError.self) {
                try await store.pull(reference: "\(setup.registry.host)/\(reference)")
            }
            guard case let .registry(url, status, detail) = error else {
                Issue.record("\(String(describing: error))")
                continue
            }
            #expect(url == "http://\(setup.registry.host)/v2/\(reference.replacingOccurrences(of: ":", with: "/manifests/"))")
            #expect(status == 404)
            #expect(detail.contains("_UNKNOWN"), "\(detail)")
        }
        #expect(setup.scratch.storeIsEmpty)
    }
}
