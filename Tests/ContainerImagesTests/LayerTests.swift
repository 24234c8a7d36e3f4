import Foundation
import Testing

@testable import ContainerImages

#if canImport(Glibc)
import Glibc
#endif

@Suite struct LayerTests {
    /// Layer 2 deletes `etc/removed` and replaces the contents of `data/` (opaque); overlayfs needs a 0/0
    /// character device and `trusted.overlay.opaque=y`, which only root can make. CI runs as root; elsewhere this
    /// test fails on purpose rather than passing without checking anything.
    @Test func whiteoutsBecomeOverlayfsWhiteouts() throws {
        try #require(geteuid() == 0, "whiteout conversion makes devices and trusted.* xattrs: run the tests as root")
        let scratch = try Scratch()
        defer { scratch.remove() }
        let directories = try importWhiteoutImage(scratch)
        #expect(directories.count == 2)
        let top = directories[1].path

        var info = stat()
        #expect(lstat(top + "/etc/removed", &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFCHR)
        #expect(info.st_rdev == 0)
        #expect(!FileManager.default.fileExists(atPath: top + "/etc/.wh.removed"))
        #expect(!FileManager.default.fileExists(atPath: top + "/data/.wh..wh..opq"))
        #expect(try String(contentsOfFile: top + "/etc/same-layer", encoding: .utf8) == "whiteouts hide lower layers only")
        #expect(try String(contentsOfFile: top + "/data/new", encoding: .utf8) == "visible")
        #expect(LinuxCalls.lgetxattr(top + "/data", "trusted.overlay.opaque") == "y")
        #expect(LinuxCalls.lgetxattr(top + "/etc", "trusted.overlay.opaque") == nil)
        #expect(try String(contentsOfFile: directories[0].path + "/etc/removed", encoding: .utf8) == "gone in layer 2")
    }

    /// The unpacked layers mounted as overlayfs lower dirs show what the image means: deleted files gone,
    /// the opaque directory holding only the upper layer's files. Root only, like the test above.
    @Test func overlayfsReadsTheUnpackedLayers() throws {
        try #require(geteuid() == 0, "mounting overlayfs needs root: run the tests as root")
        let scratch = try Scratch()
        defer { scratch.remove() }
        let directories = try importWhiteoutImage(scratch)
        let merged = scratch.file("merged").path
        try FileManager.default.createDirectory(atPath: merged, withIntermediateDirectories: true)
        let lowerdir = directories.reversed().map(\.path).joined(separator: ":")
        try #require(run("/usr/bin/mount", "-t", "overlay", "overlay", "-o", "lowerdir=\(lowerdir)", merged) == 0)
        defer { _ = run("/usr/bin/umount", merged) }

        let manager = FileManager.default
        #expect(try manager.contentsOfDirectory(atPath: merged + "/etc").sorted() == ["kept", "same-layer"])
        #expect(try manager.contentsOfDirectory(atPath: merged + "/data") == ["new"])
    }

    @Test func longNamesHardlinksAndModesSurvive() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let long = "deep/" + String(repeating: "d", count: 90) + "/" + String(repeating: "f", count: 60)
        var layer = TarWriter()
        layer.file(long, "pax name")
        layer.longNames = .gnu
        layer.file(long + "-gnu", "gnu name")
        layer.file("bin/tool", "tool", mode: 0o4755)
        layer.hardLink("bin/tool-link", to: "bin/tool")
        layer.directory("locked/", mode: 0o500)
        layer.file("locked/inside", "written before the directory is locked")
        layer.symlink("abs-link", to: "/etc/passwd")
        let archive = try write(ociArchive(layers: [layer.finished], reference: "skiff.test/names:1"), "names.tar", in: scratch)
        let image = try #require(try scratch.store.import(archive: archive).first)
        let root = try #require(try scratch.store.layerDirectories(for: image).first).path

        #expect(try String(contentsOfFile: "\(root)/\(long)", encoding: .utf8) == "pax name")
        #expect(try String(contentsOfFile: "\(root)/\(long)-gnu", encoding: .utf8) == "gnu name")
        var tool = stat(), link = stat(), locked = stat()
        #expect(lstat(root + "/bin/tool", &tool) == 0 && lstat(root + "/bin/tool-link", &link) == 0)
        #expect(tool.st_ino == link.st_ino)
        #expect(tool.st_mode & 0o7777 == 0o4755)
        #expect(lstat(root + "/locked", &locked) == 0 && locked.st_mode & 0o7777 == 0o500)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/abs-link") == "/etc/passwd")
    }

    @Test(arguments: [
        ("../evil", TarWriter.Kind.file, ""),
        ("/etc/evil", .file, ""),
        ("a/../../evil", .file, ""),
        ("link/evil", .file, "plant link"),
        ("hard", .hardLink, "../../outside"),
    ])
    func pathsOutsideTheLayerAreRejected(name: String, kind: TarWriter.Kind, link: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var layer = TarWriter()
        layer.file("fine", "fine")
        if link == "plant link" {
            layer.symlink("link", to: scratch.url.path)
            layer.file(name, "through the link")
        } else {
            layer.add(name, kind, mode: 0o644, content: kind == .file ? Data("x".utf8) : Data(), link: link)
        }
        let archive = try write(ociArchive(layers: [layer.finished], reference: "skiff.test/evil:1"), "evil.tar", in: scratch)

        #expect {
            try scratch.store.import(archive: archive)
        } throws: { error in
            guard case .unsafePath = error as? ImageStoreError else { return false }
            return true
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.file("evil").path))
        #expect(scratch.storeIsEmpty)
    }

    @Test func corruptLayerIsRejectedAndNothingIsLeft() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var first = TarWriter()
        first.file("a", String(repeating: "a", count: 2000))
        var second = TarWriter()
        second.file("b", String(repeating: "b", count: 2000))
        let archive = try write(ociArchive(layers: [first.finished, second.finished], reference: "skiff.test/bad:1", corruptLayer: 1),
                                "bad.tar", in: scratch)
        #expect {
            try scratch.store.import(archive: archive)
        } throws: { error in
            guard case let .digestMismatch(what, expected, _) = error as? ImageStoreError else { return false }
            return expected == Digest.of(second.finished) && what.contains(expected.hex)
        }
        #expect(scratch.storeIsEmpty)
    }

    @Test func dockerLayerNotMatchingItsDiffIDIsRejected() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let archives = try buildTestImage(into: scratch.url)
        let previous = try scratch.store.import(archive: archives.oci)
        let original = try DockerArchiveParts(archives.docker)
        var tampered = TarWriter()
        tampered.add("manifest.json", .file, mode: 0o644, content: try original.members.read("manifest.json"))
        tampered.add(original.config, .file, mode: 0o644, content: try original.members.read(original.config))
        var other = TarWriter()
        other.file("bin/busybox", "not busybox")
        tampered.add(original.layer, .file, mode: 0o644, content: other.finished)
        let archive = try write(tampered.finished, "tampered.tar", in: scratch)

        #expect {
            try scratch.store.import(archive: archive)
        } throws: { error in
            guard case let .digestMismatch(_, expected, actual) = error as? ImageStoreError else { return false }
            return actual == Digest.of(other.finished) && expected == previous.first?.layers.first?.diffID
        }
        // The store is as it was: the earlier import intact, the tampered blob gone.
        #expect(try scratch.store.list() == previous)
        #expect(scratch.storeEntries("blobs/sha256").count == 3)
        #expect(scratch.storeEntries("tmp").isEmpty)
    }
}

/// Imports a two-layer image: layer 2 deletes `etc/removed` and makes `data/` opaque (hiding `data/old`).
/// Returns its layer directories, lowest first.
private func importWhiteoutImage(_ scratch: Scratch) throws -> [URL] {
    var lower = TarWriter()
    lower.directory("etc/")
    lower.file("etc/removed", "gone in layer 2")
    lower.file("etc/kept", "stays")
    lower.directory("data/")
    lower.file("data/old", "hidden by the opaque directory")
    var upper = TarWriter()
    upper.file("etc/.wh.removed", "")
    upper.directory("data/")
    upper.file("data/.wh..wh..opq", "")
    upper.file("data/new", "visible")
    upper.file("etc/.wh.same-layer", "")
    upper.file("etc/same-layer", "whiteouts hide lower layers only")
    let archive = try write(ociArchive(layers: [lower.finished, upper.finished], reference: "skiff.test/whiteout:1"),
                            "whiteout.tar", in: scratch)
    let image = try #require(try scratch.store.import(archive: archive).first)
    return try scratch.store.layerDirectories(for: image)
}

/// Runs a command, discarding its output; returns its exit status.
private func run(_ executable: String, _ arguments: String...) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return -1 }
    process.waitUntilExit()
    return process.terminationStatus
}
