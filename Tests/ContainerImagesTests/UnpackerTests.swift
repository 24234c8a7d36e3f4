import Foundation
import Testing

@testable import ContainerImages

#if canImport(Glibc)
import Glibc
#endif

/// ``LayerUnpacker`` driven directly, so that the unprivileged behaviour is tested whoever runs the tests.
@Suite struct UnpackerTests {
    @Test func withoutRootWhiteoutsAreRefusedAndDevicesSkipped() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var devices = TarWriter()
        devices.file("etc/hostname", "node")
        devices.add("dev/null", .characterDevice, mode: 0o666)
        let unpacker = try unpack(devices.finished, into: scratch.file("devices"), privileged: false)
        try unpacker.finish()
        #expect(unpacker.skippedDevices == 1)
        #expect(FileManager.default.fileExists(atPath: scratch.file("devices/etc/hostname").path))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("devices/dev/null").path))

        for whiteout in ["etc/.wh.hostname", "etc/.wh..wh..opq"] {
            var layer = TarWriter()
            layer.file(whiteout, "")
            #expect {
                _ = try unpack(layer.finished, into: scratch.file("whiteout-\(UUID().uuidString)"), privileged: false)
            } throws: { error in
                guard case .needsRoot = error as? ImageStoreError else { return false }
                return true
            }
        }
    }

    @Test func corruptHeadersAreRejected() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var layer = TarWriter()
        layer.file("a", "a")
        layer.file("b", "b")
        var bytes = layer.finished
        bytes[0] = UInt8(ascii: "b")  // The name changes, the checksum does not.
        #expect(throws: ImageStoreError.invalidTar("header checksum mismatch")) {
            _ = try unpack(bytes, into: scratch.file("corrupt"), privileged: false)
        }
        #expect(throws: ImageStoreError.invalidTar("truncated header")) {
            _ = try unpack(layer.data.prefix(1024 + 100), into: scratch.file("truncated-header"), privileged: false)
        }
        #expect(throws: ImageStoreError.invalidTar("stream ended 324 bytes early")) {
            _ = try unpack(layer.data.prefix(700), into: scratch.file("truncated-content"), privileged: false)
        }
    }

    @Test func concurrentImportsOfOneImageAgree() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let archives = try buildTestImage(into: scratch.url)
        let store = scratch.store
        let results = try await withThrowingTaskGroup(of: [ImageRecord].self) { group in
            for archive in [archives.oci, archives.oci, archives.oci, archives.oci] {
                group.addTask { try store.import(archive: archive) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 4)
        #expect(Set(results.map { $0.map(\.manifestDigest) }).count == 1)
        #expect(try store.list().count == 1)
        #expect(scratch.storeEntries("layers/sha256").count == 1)
        #expect(scratch.storeEntries("tmp").isEmpty)
    }

    /// Unpacks a layer tar held in memory into `directory` (created), as root or not.
    private func unpack(_ layer: Data, into directory: URL, privileged: Bool) throws -> LayerUnpacker {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathExtension("tar")
        try layer.write(to: file)
        var reader = TarReader(try FileSlice(file: OpenFile(path: file.path)))
        var unpacker = LayerUnpacker(root: directory, isPrivileged: privileged)
        try unpacker.unpack(&reader)
        return unpacker
    }
}
