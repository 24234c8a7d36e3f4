import APIModel
import ContainerRuntime
import Foundation
import NodeAgent
import Testing
@testable import NodeAgentService

@Suite struct RuntimePartsTests {
    let now = Date(timeIntervalSince1970: 1_000)

    @Test func exitMapping() {
        #expect(ExitMapping.exit(ExitStatus(code: 3), adopted: false, finishedAt: now)
                == ContainerExit(exitCode: 3, finishedAt: now))
        #expect(ExitMapping.exit(ExitStatus(code: 137, signal: 9, oomKilled: true), adopted: false, finishedAt: now)
                == ContainerExit(exitCode: 137, reason: "OOMKilled", finishedAt: now))
        let unknown = ExitMapping.exit(.unknown, adopted: true, finishedAt: now)
        #expect(unknown.exitCode == 255 && unknown.reason == "Unknown" && unknown.message != nil)
        #expect(ExitMapping.exit(ExitStatus(code: 255, oomKilled: true), adopted: true, finishedAt: now).exitCode == 137)
    }

    @Test func pauseRootMountsTheExecutableAndLibraryDirectories() {
        let maps = """
        55d0c0000000-55d0c0001000 r--p 00000000 08:01 1 /opt/skiff/bin/skiff
        7f0000000000-7f0000001000 r-xp 00000000 08:01 2 /opt/swift/usr/lib/swift/linux/libswiftCore.so
        7f0000002000-7f0000003000 r-xp 00000000 08:01 3 /usr/lib/x86_64-linux-gnu/libc.so.6
        7f0000004000-7f0000005000 r-xp 00000000 08:01 4 /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
        7f0000006000-7f0000007000 rw-p 00000000 00:00 0 [heap]
        7f0000008000-7f0000009000 r-xp 00000000 08:01 5 /tmp/old/libgone.so (deleted)
        """
        let mounts = PauseRoot.mounts(executable: "/opt/skiff/bin/skiff", maps: maps,
                                      interpreterDirectories: ["/usr/lib64", "/usr/lib/x86_64-linux-gnu"])
        #expect(mounts.map(\.destination) == ["/opt/skiff/bin/skiff", "/opt/swift/usr/lib/swift/linux",
                                             "/usr/lib/x86_64-linux-gnu", "/usr/lib64"])
        #expect(mounts.allSatisfy { $0.readOnly && $0.source == $0.destination })
    }

    @Test func overlayOptionsPutTheTopLayerFirst() {
        #expect(ContainerRootfs.options(layers: ["/l/base", "/l/top"], upper: "/c/upper", work: "/c/work")
                == "lowerdir=/l/top:/l/base,upperdir=/c/upper,workdir=/c/work")
    }

    @Test func containerLabelsRoundTrip() throws {
        let bundle = FileManager.default.temporaryDirectory.appendingPathComponent("labels-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: bundle) }
        let labels = ContainerLabels(kind: .container, podUID: "u", podNamespace: "ns", podName: "p",
                                     containerName: "web", restartCount: 3, startedAt: Date(timeIntervalSince1970: 5),
                                     logPath: "/logs/web/3.log", cgroupsPath: "/skiff/x")
        try labels.write(bundle: bundle)
        #expect(ContainerLabels.read(bundle: bundle) == labels)
        #expect(ContainerLabels.read(bundle: bundle + "-missing") == nil)
    }

    @Test func ipLeases() {
        #expect(IPLeases.parseOwner("uid-1\neth0\n") == "uid-1")
        #expect(IPLeases.parseOwner("\n") == nil)
        #expect(IPLeases.isIPv4("10.42.0.7"))
        #expect(!IPLeases.isIPv4("last_reserved_ip.0"))
        #expect(!IPLeases.isIPv4("lock"))
    }

    @Test func oomScoreAdjNeverBelowTheAgentsOwn() {
        #expect(PodRuntime.allowedOOMScoreAdj(-997, own: 0) == 0)
        #expect(PodRuntime.allowedOOMScoreAdj(1000, own: 0) == 1000)
        #expect(PodRuntime.allowedOOMScoreAdj(-997, own: -999) == -997)
        #expect(PodRuntime.allowedOOMScoreAdj(-997, own: nil) == -997)
    }

    @Test func podFiles() {
        let pod = Pod(metadata: ObjectMeta(name: "web", namespace: "shop"), spec: PodSpec(containers: []))
        #expect(PodFiles.hostname(of: pod) == "web")
        #expect(PodFiles.hosts(hostname: "web", podIP: "10.42.0.5").contains("10.42.0.5\tweb\n"))
        #expect(PodFiles.resolvConf(namespace: "shop").hasPrefix("search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.43.0.10\n"))
    }

    @Test func environmentFieldReferences() {
        var container = Container(name: "c")
        container.env = [
            EnvVar(name: "NAME", valueFrom: EnvVarSource(fieldRef: ObjectFieldSelector(fieldPath: "metadata.name"))),
            EnvVar(name: "IP", valueFrom: EnvVarSource(fieldRef: ObjectFieldSelector(fieldPath: "status.podIP"))),
            EnvVar(name: "APP", valueFrom: EnvVarSource(fieldRef: ObjectFieldSelector(fieldPath: "metadata.labels['app']"))),
            EnvVar(name: "KEY", valueFrom: EnvVarSource(configMapKeyRef: ConfigMapKeySelector(key: "k", name: "cm"))),
            EnvVar(name: "PLAIN", value: "x"),
        ]
        let pod = Pod(metadata: ObjectMeta(labels: ["app": "shop"], name: "web", namespace: "ns"))
        let values = EnvironmentValues.resolve(container, pod: pod, podIP: "10.42.0.9", hostIP: "192.0.2.1",
                                               configMaps: ["cm": ConfigMap(data: ["k": "v"])], secrets: [:])
        #expect(values == ["NAME": "web", "IP": "10.42.0.9", "APP": "shop", "KEY": "v"])
    }

    @Test func sourcesAPodRefersTo() {
        var spec = PodSpec(containers: [])
        spec.volumes = [Volume(configMap: ConfigMapVolumeSource(name: "cm1"), name: "a"),
                        Volume(name: "b", secret: SecretVolumeSource(secretName: "s1"))]
        var container = Container(name: "c")
        container.env = [EnvVar(name: "E", valueFrom: EnvVarSource(secretKeyRef: SecretKeySelector(key: "k", name: "s2")))]
        spec.containers = [container]
        let (configMaps, secrets) = PodSources.references(of: Pod(spec: spec))
        #expect(configMaps == ["cm1"])
        #expect(secrets == ["s1", "s2"])
    }
}

@Suite struct SandboxAndStatusTests {
    @Test func imageIDsOnlyForContainersThatRan() {
        let running = ContainerStatus(image: "app:1", imageID: "", name: "a",
                                      state: ContainerState(running: ContainerStateRunning()))
        let waiting = ContainerStatus(image: "app:1", imageID: "", name: "b",
                                      state: ContainerState(waiting: ContainerStateWaiting(reason: "ContainerCreating")))
        let filled = ImageIDs.fill(PodStatus(containerStatuses: [running, waiting])) { "\($0)@sha256:abc" }
        #expect(filled.containerStatuses?.map(\.imageID) == ["app:1@sha256:abc", ""])
    }

    @Test func hostNetworkContainersUseTheNodesNetworkAndHostname() {
        var sandbox = SandboxHandle(containerID: "s", pid: 42, podIP: "10.42.0.3", hostsFile: "h", hostnameFile: "n",
                                    resolvConf: "r")
        let pod = sandbox.containerNamespaces()
        #expect(pod.network == .join("/proc/42/ns/net") && pod.uts == .join("/proc/42/ns/uts"))
        sandbox.hostNetwork = true
        let host = sandbox.containerNamespaces()
        #expect(host.network == .host && host.uts == .host && host.ipc == .join("/proc/42/ns/ipc"))
    }
}

@Suite struct ProcFileTests {
    /// /proc/self/maps of a process with many threads is long; it must be read to the end (libc is mapped late
    /// in address order, and a short read once left it out of the sandbox's mounts).
    @Test func mapsAreReadToTheEnd() {
        let maps = PauseRoot.readProcFile("/proc/self/maps")
        #expect(maps.contains("libc.so") || maps.contains("libc-"))
        #expect(maps.hasSuffix("\n"))
        #expect(PauseRoot.mountsForThisProcess(executable: "/x").contains { $0.destination.hasSuffix("linux-gnu") })
    }
}

@Suite struct EnvFromTests {
    @Test func envFromExpandsBeforeEnvWhichWins() {
        var container = Container(name: "c")
        container.envFrom = [EnvFromSource(configMapRef: ConfigMapEnvSource(name: "cm"), prefix: "CM_"),
                             EnvFromSource(secretRef: SecretEnvSource(name: "s"))]
        container.env = [EnvVar(name: "CM_A", value: "mine")]
        let expanded = EnvironmentValues.expandingEnvFrom(
            container, configMaps: ["cm": ConfigMap(data: ["A": "1", "B": "2", "bad key": "x"])],
            secrets: ["s": Secret(data: ["TOKEN": Data("t".utf8)])])
        #expect(expanded.env?.map { "\($0.name ?? "")=\($0.value ?? "")" }
                == ["CM_A=1", "CM_B=2", "TOKEN=t", "CM_A=mine"])
        #expect(expanded.envFrom == nil)
        let references = PodSources.references(of: Pod(spec: PodSpec(containers: [container])))
        #expect(references.configMaps == ["cm"] && references.secrets == ["s"])
    }
}
