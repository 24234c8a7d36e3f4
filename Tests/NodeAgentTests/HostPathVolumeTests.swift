import ContainerRuntime
import APIModel
import Foundation
import Testing
@testable import NodeAgent

@Suite struct HostPathVolumeTests {
    private func prepare(_ f: VolumeFixture, _ path: String, _ type: String?) throws -> PreparedVolumes {
        let pod = volumePod([Volume(hostPath: HostPathVolumeSource(path: path, type: type), name: "host")],
                            mounts: [VolumeMount(mountPath: "/host", name: "host")])
        return try f.volumes.prepare(pod, sources: VolumeSources())
    }

    @Test func mountsTheHostPathItself() throws {
        let f = VolumeFixture()
        defer { f.remove() }
        let prepared = try prepare(f, "/nonexistent-is-fine-untyped", "")
        #expect(prepared.mounts["app"] == [BindMount(source: "/nonexistent-is-fine-untyped",
                                                           destination: "/host")])
    }

    @Test func orCreateTypesCreateWhatIsMissing() throws {
        let f = VolumeFixture()
        defer { f.remove() }
        _ = try prepare(f, f.root + "/made/dir", "DirectoryOrCreate")
        #expect(FileSystem.type(of: f.root + "/made/dir") == .directory)
        _ = try prepare(f, f.root + "/made/sub/file", "FileOrCreate")
        #expect(FileSystem.type(of: f.root + "/made/sub/file") == .file)
        _ = try prepare(f, f.root + "/made/sub/file", "FileOrCreate")
        #expect(volumeError { _ = try prepare(f, f.root + "/made/dir", "FileOrCreate") }
                    == .hostPathCheckFailed(path: f.root + "/made/dir", reason: "is not a file"))
        #expect(volumeError { _ = try prepare(f, f.root + "/made/sub/file", "DirectoryOrCreate") }
                    == .hostPathCheckFailed(path: f.root + "/made/sub/file", reason: "is not a directory"))
    }

    @Test func strictTypesCheckWhatIsThere() throws {
        let f = VolumeFixture()
        defer { f.remove() }
        _ = try prepare(f, f.root, "Directory")
        _ = try prepare(f, "/dev/null", "CharDevice")
        _ = try prepare(f, "/dev/null", "File")
        let missing = f.root + "/missing"
        #expect(volumeError { _ = try prepare(f, missing, "Directory") }
                    == .hostPathCheckFailed(path: missing, reason: "does not exist"))
        #expect(volumeError { _ = try prepare(f, missing, "File") }
                    == .hostPathCheckFailed(path: missing, reason: "does not exist"))
        #expect(volumeError { _ = try prepare(f, f.root, "File") }
                    == .hostPathCheckFailed(path: f.root, reason: "is not a file"))
        #expect(volumeError { _ = try prepare(f, "/dev/null", "Socket") }
                    == .hostPathCheckFailed(path: "/dev/null", reason: "is not a socket file"))
        #expect(volumeError { _ = try prepare(f, "/dev/null", "BlockDevice") }
                    == .hostPathCheckFailed(path: "/dev/null", reason: "is not a block device"))
        #expect(volumeError { _ = try prepare(f, f.root, "Dir") } == .invalidHostPathType("Dir"))
        #expect(volumeError { _ = try prepare(f, "relative/path", nil) }
                    == .invalidPath("relative/path", reason: "hostPath must be an absolute path"))
    }
}
