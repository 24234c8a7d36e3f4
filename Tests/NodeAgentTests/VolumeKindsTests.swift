import ContainerRuntime
import APIModel
import Foundation
import Testing
@testable import NodeAgent

@Suite struct VolumeKindsTests {
    @Test func emptyDirIsSharedAndKeepsContentAcrossPrepares() throws {
        let f = VolumeFixture()
        defer { f.remove() }
        var pod = volumePod([Volume(emptyDir: EmptyDirVolumeSource(medium: "Memory"), name: "scratch")],
                            mounts: [VolumeMount(mountPath: "/scratch", name: "scratch")])
        pod.spec?.containers?.append(Container(image: "busybox", name: "sidecar",
                                              volumeMounts: [VolumeMount(mountPath: "/data", name: "scratch")]))
        let prepared = try f.prepare(pod)
        let directory = f.volumeDirectory("empty-dir", "scratch")
        #expect(prepared.volumePaths == ["scratch": directory])
        #expect(prepared.mounts["app"] == [BindMount(source: directory, destination: "/scratch")])
        #expect(prepared.mounts["sidecar"] == [BindMount(source: directory, destination: "/data")])
        try "kept".write(toFile: directory + "/file", atomically: false, encoding: .utf8)
        try f.prepare(pod)
        #expect(f.read(directory + "/file") == "kept")
    }

    @Test func configMapWritesEveryKeyWithDefaultMode() throws {
        let f = VolumeFixture()
        defer { f.remove() }
        let pod = volumePod([Volume(configMap: ConfigMapVolumeSource(name: "settings"), name: "config")],
                            mounts: [VolumeMount(mountPath: "/etc/app", name: "config")])
        var map = configMap("settings", ["a.conf": "alpha", "b.conf": "beta"])
        map.binaryData = ["blob": Data([0, 1, 2])]
        let prepared = try f.prepare(pod, VolumeSources(configMaps: ["settings": map]))
        let directory = f.volumeDirectory("configmap", "config")
        #expect(f.read(directory + "/a.conf") == "alpha")
        #expect(f.read(directory + "/b.conf") == "beta")
        #expect(FileManager.default.contents(atPath: directory + "/blob") == Data([0, 1, 2]))
        #expect(f.mode(directory + "/a.conf") == 0o644)
        #expect(prepared.mounts["app"] == [BindMount(source: directory, destination: "/etc/app", readOnly: true)],
                "configMap volumes are always mounted read-only")
    }

    @Test func itemsSelectKeysWithPathsAndModes() throws {
        let f = VolumeFixture()
        defer { f.remove() }
        let items = [KeyToPath(key: "a.conf", mode: 0o600, path: "nested/alpha"),
                     KeyToPath(key: "b.conf", path: "beta")]
        let source = ConfigMapVolumeSource(defaultMode: 0o640, items: items, name: "settings")
        let pod = volumePod([Volume(configMap: source, name: "config")])
        let sources = settings(["a.conf": "alpha", "b.conf": "beta", "c.conf": "gamma"])
        try f.prepare(pod, sources)
        let directory = f.volumeDirectory("configmap", "config")
        #expect(f.read(directory + "/nested/alpha") == "alpha")
        #expect(f.mode(directory + "/nested/alpha") == 0o600)
        #expect(f.read(directory + "/beta") == "beta")
        #expect(f.mode(directory + "/beta") == 0o640)
        #expect(!FileManager.default.fileExists(atPath: directory + "/c.conf"), "keys not listed are not written")
    }

    @Test func secretFilesDefaultTo0644() throws {
        let f = VolumeFixture()
        defer { f.remove() }
        let pod = volumePod([Volume(name: "creds", secret: SecretVolumeSource(secretName: "db"))])
        try f.prepare(pod, VolumeSources(secrets: ["db": secret("db", ["password": "hunter2"])]))
        let directory = f.volumeDirectory("secret", "creds")
        #expect(f.read(directory + "/password") == "hunter2")
        #expect(f.mode(directory + "/password") == 0o644)
    }

    @Test func missingObjectsFailUnlessOptional() throws {
        let f = VolumeFixture()
        defer { f.remove() }
        let required = volumePod([Volume(configMap: ConfigMapVolumeSource(name: "absent"), name: "config")])
        let error = f.error(required)
        #expect(error == .objectNotFound(kind: "configMap", name: "absent", volume: "config"))
        #expect(error?.description.contains("optional: true") == true)
        #expect(!FileManager.default.fileExists(atPath: f.root + "/pods/uid-vol/volumes"), "nothing written on error")

        let optional = volumePod([
            Volume(configMap: ConfigMapVolumeSource(name: "absent", optional: true), name: "config"),
            Volume(name: "creds", secret: SecretVolumeSource(optional: true, secretName: "gone")),
        ])
        let prepared = try f.prepare(optional)
        let names = try FileManager.default.contentsOfDirectory(atPath: prepared.volumePaths["config"]!)
        #expect(names.filter { !$0.hasPrefix("..") }.isEmpty)
    }

    @Test func missingItemKeyFailsUnlessOptional() throws {
        let f = VolumeFixture()
        defer { f.remove() }
        let items = [KeyToPath(key: "nope", path: "x")]
        let sources = VolumeSources(secrets: ["db": secret("db", ["password": "p"])])
        let required = volumePod([Volume(name: "creds", secret: SecretVolumeSource(items: items, secretName: "db"))])
        #expect(f.error(required, sources)
                    == .keyNotFound(kind: "secret", name: "db", key: "nope", volume: "creds"))
        let optional = volumePod([Volume(name: "creds", secret: SecretVolumeSource(items: items, optional: true,
                                                                                  secretName: "db"))])
        try f.prepare(optional, sources)
    }

    @Test func downwardAPIWritesMetadataAsTheKubeletFormatsIt() throws {
        let f = VolumeFixture()
        defer { f.remove() }
        func item(_ path: String, _ field: String) -> DownwardAPIVolumeFile {
            DownwardAPIVolumeFile(fieldRef: ObjectFieldSelector(fieldPath: field), path: path)
        }
        let items = [item("labels", "metadata.labels"), item("annotations", "metadata.annotations"),
                     item("name", "metadata.name"), item("namespace", "metadata.namespace"),
                     item("uid", "metadata.uid"), item("tier", "metadata.labels['tier']")]
        let pod = volumePod([Volume(downwardAPI: DownwardAPIVolumeSource(items: items), name: "info")],
                            labels: ["tier": "web", "app": "shop"],
                            annotations: ["note": "say \"hi\"\nbye\t\\", "b": "ünï"])
        try f.prepare(pod)
        let directory = f.volumeDirectory("downward-api", "info")
        #expect(f.read(directory + "/labels") == "app=\"shop\"\ntier=\"web\"")
        #expect(f.read(directory + "/annotations") == "b=\"ünï\"\nnote=\"say \\\"hi\\\"\\nbye\\t\\\\\"")
        #expect(f.read(directory + "/name") == "web")
        #expect(f.read(directory + "/namespace") == "default")
        #expect(f.read(directory + "/uid") == "uid-vol")
        #expect(f.read(directory + "/tier") == "web")

        let bad = volumePod([Volume(downwardAPI: DownwardAPIVolumeSource(items: [item("ip", "status.podIP")]),
                                    name: "info")])
        #expect(f.error(bad)
                    == .unsupportedField("status.podIP", volume: "info"))
    }

    @Test func formatMapSortsBytewiseAndQuotesLikeGo() {
        #expect(DownwardAPIFiles.formatMap(["b": "a\u{7}\u{1}", "B": "\u{A0}é", "a": ""])
                    == "B=\"\\u00a0é\"\na=\"\"\nb=\"a\\a\\x01\"")
    }

    @Test func projectedMergesSourcesAndTheTokenWhenGiven() throws {
        let f = VolumeFixture()
        defer { f.remove() }
        let sources: [VolumeProjection] = [
            VolumeProjection(serviceAccountToken: ServiceAccountTokenProjection(expirationSeconds: 3607,
                                                                                path: "token")),
            VolumeProjection(configMap: ConfigMapProjection(items: [KeyToPath(key: "ca.crt", path: "ca.crt")],
                                                            name: "kube-root-ca.crt")),
            VolumeProjection(downwardAPI: DownwardAPIProjection(items: [DownwardAPIVolumeFile(
                fieldRef: ObjectFieldSelector(apiVersion: "v1", fieldPath: "metadata.namespace"), path: "namespace")])),
            VolumeProjection(secret: SecretProjection(name: "missing", optional: true)),
        ]
        let pod = volumePod([Volume(name: "kube-api-access", projected: ProjectedVolumeSource(defaultMode: 0o644,
                                                                                               sources: sources))])
        let api = VolumeSources(configMaps: ["kube-root-ca.crt": configMap("kube-root-ca.crt", ["ca.crt": "CERT"])],
                                serviceAccountToken: "jwt")
        try f.prepare(pod, api)
        let directory = f.volumeDirectory("projected", "kube-api-access")
        #expect(f.read(directory + "/token") == "jwt")
        #expect(f.read(directory + "/ca.crt") == "CERT")
        #expect(f.read(directory + "/namespace") == "default")
        #expect(f.mode(directory + "/token") == 0o644)

        var withoutToken = api
        withoutToken.serviceAccountToken = nil
        try f.prepare(pod, withoutToken)
        #expect(!FileSystem.entryExists(directory + "/token"), "no token passed in: no token file")
        #expect(f.read(directory + "/ca.crt") == "CERT")
    }

    @Test func unsupportedVolumeTypesAreRejected() {
        let f = VolumeFixture()
        defer { f.remove() }
        let claim = PersistentVolumeClaimVolumeSource(claimName: "c")
        let pod = volumePod([Volume(name: "claim", persistentVolumeClaim: claim)])
        guard case .unsupportedVolume("claim", _)? = f.error(pod)
        else { Issue.record("expected unsupportedVolume"); return }
    }
}
