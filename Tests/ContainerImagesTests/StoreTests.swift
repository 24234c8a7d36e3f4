import Foundation
import Testing

@testable import ContainerImages

@Suite struct StoreTests {
    @Test func resolvesTagsDigestsAndIDs() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let archives = try buildTestImage(into: scratch.url, reference: "busybox:1.36")
        let image = try #require(try scratch.store.import(archive: archives.docker).first)
        let store = scratch.store

        #expect(image.reference == "docker.io/library/busybox:1.36")
        for reference in ["busybox:1.36", "library/busybox:1.36", "docker.io/library/busybox:1.36",
                          "busybox@\(image.manifestDigest)", "docker.io/library/busybox:1.36@\(image.manifestDigest)",
                          image.configDigest.description, image.configDigest.hex, image.manifestDigest.description] {
            #expect(try store.resolve(reference: reference) == image, "\(reference)")
        }
        #expect(image.digestReference == "docker.io/library/busybox@\(image.manifestDigest)")
        for missing in ["busybox", "busybox:1.35", "other/busybox:1.36", "other@\(image.manifestDigest)"] {
            #expect(try store.resolve(reference: missing) == nil, "\(missing)")
        }
    }

    @Test func removeCollectsUnreferencedContent() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let store = scratch.store
        let first = try buildTestImage(into: scratch.file("a"), reference: "skiff.test/busybox:1.0")
        let second = try buildTestImage(into: scratch.file("b"), reference: "skiff.test/busybox:2.0")
        try store.import(archive: first.oci)
        try store.import(archive: second.oci)
        var layer = TarWriter()
        layer.file("other", "other image")
        try store.import(archive: write(ociArchive(layers: [layer.finished], reference: "skiff.test/other:1"), "other.tar", in: scratch))
        #expect(try store.list().map(\.reference) == ["skiff.test/busybox:1.0", "skiff.test/busybox:2.0", "skiff.test/other:1"])
        let busyboxBlobs = scratch.storeEntries("blobs/sha256")

        // The other image goes with its blobs and layer.
        #expect(try store.remove(reference: "skiff.test/other:1").map(\.reference) == ["skiff.test/other:1"])
        #expect(scratch.storeEntries("blobs/sha256").count == busyboxBlobs.count - 3)
        #expect(scratch.storeEntries("layers/sha256").count == 1)

        // One of two tags of the same image: the content stays.
        try store.remove(reference: "skiff.test/busybox:1.0")
        #expect(scratch.storeEntries("layers/sha256").count == 1)
        let kept = try #require(try store.resolve(reference: "skiff.test/busybox:2.0"))
        #expect(try store.layerDirectories(for: kept).count == 1)

        // The last one: everything goes.
        try store.remove(reference: "skiff.test/busybox:2.0")
        #expect(scratch.storeIsEmpty)
        #expect(throws: ImageStoreError.notFound("skiff.test/busybox:2.0")) {
            try store.remove(reference: "skiff.test/busybox:2.0")
        }
    }

    @Test func removeByImageIDRemovesEveryTag() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let archives = try buildTestImage(into: scratch.url)
        let image = try #require(try scratch.store.import(archive: archives.oci).first)
        try scratch.store.import(archive: archives.docker, defaultName: nil)
        let retagged = try buildTestImage(into: scratch.file("retag"), reference: "skiff.test/busybox:1.1")
        try scratch.store.import(archive: retagged.docker)

        let removed = try scratch.store.remove(reference: image.configDigest.description)
        #expect(removed.map(\.reference) == ["skiff.test/busybox:1.0", "skiff.test/busybox:1.1"])
        #expect(scratch.storeEntries("blobs/sha256").isEmpty)
    }
}
