import ContainerRuntime
import APIModel
import Foundation
import Testing
@testable import NodeAgent

@Suite struct VolumeLayoutTests {
    @Test func atomicUpdateSwapsDataLinkAndReplacesContent() throws {
        let f = VolumeFixture()
        defer { f.remove() }
        let pod = volumePod([Volume(configMap: ConfigMapVolumeSource(name: "settings"), name: "config")])
        let directory = f.volumeDirectory("configmap", "config")
        let fm = FileManager.default

        try f.prepare(pod, settings(["old": "1", "kept": "a"]))
        let firstVersion = try fm.destinationOfSymbolicLink(atPath: directory + "/..data")
        #expect(firstVersion.hasPrefix(".."))
        #expect(try fm.destinationOfSymbolicLink(atPath: directory + "/old") == "..data/old")
        #expect(try fm.destinationOfSymbolicLink(atPath: directory + "/kept") == "..data/kept")

        try f.prepare(pod, settings(["new": "2", "kept": "b"]))
        let secondVersion = try fm.destinationOfSymbolicLink(atPath: directory + "/..data")
        try f.prepare(pod, settings(["new": "2", "kept": "b"]))
        #expect(try fm.destinationOfSymbolicLink(atPath: directory + "/..data") == secondVersion,
                "the same content again writes nothing")
        #expect(secondVersion != firstVersion)
        #expect(f.read(directory + "/kept") == "b")
        #expect(f.read(directory + "/new") == "2")
        #expect(!FileSystem.entryExists(directory + "/old"), "keys gone from the object are removed")
        #expect(!FileSystem.entryExists(directory + "/" + firstVersion), "the old version's directory is removed")
        #expect(Set(try fm.contentsOfDirectory(atPath: directory)) == ["..data", secondVersion, "kept", "new"])
    }

    @Test func timestampedVersionNameIsUTC() {
        let name = AtomicWriter.versionName(Date(timeIntervalSince1970: 1_750_000_000.5))
        #expect(name.hasPrefix("..2025_06_15_15_06_40."))
        #expect(name != AtomicWriter.versionName(Date(timeIntervalSince1970: 1_750_000_000.5)), "unique per write")
    }

    @Test func subPathMountsAFileOrCreatesADirectory() throws {
        let f = VolumeFixture()
        defer { f.remove() }
        let pod = volumePod([Volume(configMap: ConfigMapVolumeSource(name: "settings"), name: "config"),
                             Volume(emptyDir: EmptyDirVolumeSource(), name: "data")],
                            mounts: [
                                VolumeMount(mountPath: "/etc/app.conf", name: "config", subPath: "app.conf"),
                                VolumeMount(mountPath: "/var/lib/db", name: "data", readOnly: true, subPath: "db/one"),
                            ])
        let prepared = try f.prepare(pod, settings(["app.conf": "x"]))
        let config = f.volumeDirectory("configmap", "config") + "/app.conf"
        let data = f.volumeDirectory("empty-dir", "data") + "/db/one"
        #expect(prepared.mounts["app"] == [
            BindMount(source: config, destination: "/etc/app.conf", readOnly: true),
            BindMount(source: data, destination: "/var/lib/db", readOnly: true),
        ])
        #expect(FileSystem.type(of: data) == .directory)
    }

    @Test func subPathsThatEscapeAreRejected() throws {
        let f = VolumeFixture()
        defer { f.remove() }
        for subPath in ["../etc", "/etc", "a/../../b"] {
            let pod = volumePod([Volume(emptyDir: EmptyDirVolumeSource(), name: "data")],
                                mounts: [VolumeMount(mountPath: "/d", name: "data", subPath: subPath)])
            guard case .invalidPath(subPath, _)? = f.error(pod)
            else { Issue.record("subPath \(subPath) accepted"); continue }
        }
        let emptyDir = [Volume(emptyDir: EmptyDirVolumeSource(), name: "data")]
        let pod = volumePod(emptyDir, mounts: [VolumeMount(mountPath: "/d", name: "data", subPath: "link")])
        let volume = try f.prepare(volumePod(emptyDir)).volumePaths["data"]!
        try FileManager.default.createSymbolicLink(atPath: volume + "/link", withDestinationPath: "/etc")
        let error = f.error(pod)
        #expect(error == .invalidPath("link", reason: "resolves outside the volume"))
    }

    @Test func badItemPathsAreRejectedWithClearErrors() throws {
        let f = VolumeFixture()
        defer { f.remove() }
        let cases: [(String, String)] = [("/abs", "must be a relative path"), ("a/../b", "must not contain '..'"),
                                         ("..hidden", "must not start with '..'"), ("", "must not be empty")]
        let sources = settings(["k": "v"])
        for (path, reason) in cases {
            let items = [KeyToPath(key: "k", path: path)]
            let source = ConfigMapVolumeSource(items: items, name: "settings")
            let pod = volumePod([Volume(configMap: source, name: "config")])
            let error = f.error(pod, sources)
            #expect(error == .invalidPath(path, reason: reason))
            #expect(error?.description == "invalid path \"\(path)\": \(reason)")
        }
        #expect(!FileSystem.entryExists(f.root + "/pods/uid-vol/volumes"), "a bad path writes nothing")
    }

    @Test func badModesAndNamesAreRejected() {
        let f = VolumeFixture()
        defer { f.remove() }
        let sources = settings(["k": "v"])
        let badMode = volumePod([Volume(configMap: ConfigMapVolumeSource(defaultMode: 0o1777, name: "settings"),
                                        name: "config")])
        #expect(f.error(badMode, sources) == .invalidMode(0o1777, volume: "config"))
        let badName = volumePod([Volume(emptyDir: EmptyDirVolumeSource(), name: "a/b")])
        #expect(f.error(badName, sources)
                    == .invalidPath("a/b", reason: "must be a single path element"))
        let unknown = volumePod([], mounts: [VolumeMount(mountPath: "/x", name: "nowhere")])
        #expect(f.error(unknown, sources) == .unknownVolume("nowhere", container: "app"))
        #expect(volumeError { try f.volumes.cleanUp(podUID: "../x") }
                    == .invalidPath("../x", reason: "must not contain '..'"))
    }

    @Test func cleanUpRemovesThePodDirectoryOnly() throws {
        let f = VolumeFixture()
        defer { f.remove() }
        let host = f.root + "/host-data"
        let pod = volumePod([Volume(emptyDir: EmptyDirVolumeSource(), name: "data"),
                             Volume(hostPath: HostPathVolumeSource(path: host, type: "DirectoryOrCreate"),
                                    name: "host")])
        try f.prepare(pod)
        #expect(FileSystem.type(of: f.volumes.podDirectory("uid-vol")) == .directory)
        try f.volumes.cleanUp(podUID: "uid-vol")
        #expect(!FileSystem.entryExists(f.volumes.podDirectory("uid-vol")))
        #expect(FileSystem.type(of: host) == .directory, "hostPath volumes are left alone")
        try f.volumes.cleanUp(podUID: "uid-vol")
    }
}
