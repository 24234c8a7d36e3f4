import APIModel
import Foundation
import Testing
@testable import ContainerRuntime

@Suite struct SpecBuilderTests {
    let image = ImageConfig(entrypoint: ["/entry"], cmd: ["serve"], env: ["PATH=/bin", "MODE=image"],
                            workingDir: "/app", user: "")

    func request(_ container: Container, sandbox: PodSandbox = PodSandbox(hostname: "web-0"),
                 mounts: [BindMount] = [], pod: PodSecurityContext? = nil,
                 users: UserDatabase = .empty, image: ImageConfig? = nil) -> ContainerSpecRequest {
        ContainerSpecRequest(image: image ?? self.image, container: container, podSecurityContext: pod,
                             resolvedEnv: ["TOKEN": "s3cret"], sandbox: sandbox, mounts: mounts,
                             rootfs: "/var/lib/skiff/rootfs/c1", cgroupsPath: "/skiff/c1", users: users)
    }

    @Test func processFromImageAndContainer() throws {
        let container = Container(
            args: ["--port", "$(PORT)"],
            env: [EnvVar(name: "PORT", value: "8080"), EnvVar(name: "MODE", value: "pod"),
                  EnvVar(name: "TOKEN", valueFrom: EnvVarSource())],
            name: "web")
        let spec = try SpecBuilder.build(request(container))
        #expect(spec.ociVersion == "1.0.2")
        #expect(spec.process.args == ["/entry", "--port", "8080"])
        #expect(spec.process.env == ["PATH=/bin", "HOSTNAME=web-0", "MODE=pod", "PORT=8080", "TOKEN=s3cret"])
        #expect(spec.process.cwd == "/app")
        #expect(spec.process.terminal == false)
        #expect(spec.process.user == OCISpec.User(uid: 0, gid: 0))
        #expect(spec.process.capabilities?.bounding == CapabilitySet.defaults)
        #expect(spec.process.capabilities?.effective == CapabilitySet.defaults)
        #expect(spec.process.capabilities?.inheritable == [])
        #expect(spec.process.noNewPrivileges == false)
        #expect(spec.root == OCISpec.Root(path: "/var/lib/skiff/rootfs/c1", readonly: false))
        #expect(spec.hostname == "web-0")
        #expect(spec.linux.cgroupsPath == "/skiff/c1")
        #expect(spec.linux.sysctl == nil)
        #expect(spec.process.oomScoreAdj == nil)
    }

    @Test func podSysctlsAndOOMScore() throws {
        var request = request(Container(name: "c"), pod: PodSecurityContext(sysctls: [
            Sysctl(name: "net.ipv4.ip_unprivileged_port_start", value: "0"),
            Sysctl(name: "kernel.shm_rmid_forced", value: "1"),
        ]))
        request.oomScoreAdj = -997
        let spec = try SpecBuilder.build(request)
        #expect(spec.linux.sysctl == ["net.ipv4.ip_unprivileged_port_start": "0", "kernel.shm_rmid_forced": "1"])
        #expect(spec.process.oomScoreAdj == -997)
    }

    @Test func containerWorkingDirWinsAndRootIsTheFallback() throws {
        #expect(try SpecBuilder.build(request(Container(name: "c", workingDir: "/work"))).process.cwd == "/work")
        let bare = ImageConfig(cmd: ["/bin/true"])
        #expect(try SpecBuilder.build(request(Container(name: "c"), image: bare)).process.cwd == "/")
    }

    @Test func securityContext() throws {
        let container = Container(name: "c", securityContext: SecurityContext(
            allowPrivilegeEscalation: false, capabilities: Capabilities(add: ["NET_ADMIN"], drop: ["ALL"]),
            readOnlyRootFilesystem: true, runAsGroup: 3000, runAsUser: 1000))
        let spec = try SpecBuilder.build(request(container))
        #expect(spec.process.user == OCISpec.User(uid: 1000, gid: 3000))
        #expect(spec.process.noNewPrivileges == true)
        #expect(spec.process.capabilities?.bounding == ["CAP_NET_ADMIN"])
        #expect(spec.root.readonly)
        #expect(spec.linux.maskedPaths?.contains("/proc/kcore") == true)
        #expect(spec.linux.readonlyPaths?.contains("/proc/sys") == true)
        #expect(spec.mounts.first { $0.destination == "/sys" }?.options?.contains("ro") == true)
        #expect(spec.linux.resources?.devices == [OCISpec.DeviceRule(allow: false, access: "rwm")])
    }

    @Test func privileged() throws {
        let container = Container(name: "c", securityContext: SecurityContext(privileged: true))
        let spec = try SpecBuilder.build(request(container))
        #expect(spec.process.capabilities?.bounding == CapabilitySet.all)
        #expect(spec.linux.maskedPaths == nil)
        #expect(spec.linux.readonlyPaths == nil)
        #expect(spec.mounts.first { $0.destination == "/sys" }?.options?.contains("rw") == true)
        #expect(spec.mounts.first { $0.destination == "/sys/fs/cgroup" }?.options?.contains("rw") == true)
        #expect(spec.linux.resources?.devices == [OCISpec.DeviceRule(allow: true, access: "rwm")])
    }

    @Test func usersFromPodAndImage() throws {
        let users = UserDatabase(passwd: "root:x:0:0::/root:/bin/sh\nwww:x:33:34::/var/www:/bin/false\n",
                                 group: "root:x:0:\nwww-data:x:34:\nstaff:x:50:\n")
        let pod = PodSecurityContext(fsGroup: 2000, runAsUser: 33, supplementalGroups: [4, 5])
        #expect(try SpecBuilder.build(request(Container(name: "c"), pod: pod, users: users)).process.user
            == OCISpec.User(uid: 33, gid: 34, additionalGids: [4, 5, 2000]))
        let named = ImageConfig(cmd: ["x"], user: "www:staff")
        #expect(try SpecBuilder.build(request(Container(name: "c"), users: users, image: named)).process.user
            == OCISpec.User(uid: 33, gid: 50))
        let numeric = ImageConfig(cmd: ["x"], user: "1000:1000")
        #expect(try SpecBuilder.build(request(Container(name: "c"), image: numeric)).process.user
            == OCISpec.User(uid: 1000, gid: 1000))
        let unknown = ImageConfig(cmd: ["x"], user: "nobody")
        #expect(throws: SpecError.unknownUser("nobody")) {
            try SpecBuilder.build(request(Container(name: "c"), image: unknown))
        }
    }

    @Test func resources() throws {
        let limited = Container(name: "c", resources: ResourceRequirements(
            limits: ["cpu": "500m", "memory": "16Mi"], requests: ["cpu": "250m", "memory": "8Mi"]))
        let resources = try #require(try SpecBuilder.build(request(limited)).linux.resources)
        #expect(resources.memory == OCISpec.Memory(limit: 16 * 1024 * 1024, swap: 16 * 1024 * 1024))
        #expect(resources.cpu == OCISpec.CPU(shares: 256, quota: 50_000, period: 100_000))

        let limitOnly = Container(name: "c", resources: ResourceRequirements(limits: ["cpu": "2"]))
        #expect(try SpecBuilder.build(request(limitOnly)).linux.resources?.cpu
            == OCISpec.CPU(shares: 2048, quota: 200_000, period: 100_000))

        let bestEffort = try SpecBuilder.build(request(Container(name: "c"))).linux.resources
        #expect(bestEffort?.cpu == OCISpec.CPU(shares: 2, quota: nil, period: 100_000))
        #expect(bestEffort?.memory == nil)
    }

    @Test func namespacesJoinTheSandbox() throws {
        let sandbox = PodSandbox(hostname: "p", network: .join("/var/run/netns/p"), ipc: .join("/proc/9/ns/ipc"),
                                 uts: .join("/proc/9/ns/uts"))
        let spec = try SpecBuilder.build(request(Container(name: "c"), sandbox: sandbox))
        #expect(spec.linux.namespaces == [
            OCISpec.Namespace(type: "pid"), OCISpec.Namespace(type: "network", path: "/var/run/netns/p"),
            OCISpec.Namespace(type: "ipc", path: "/proc/9/ns/ipc"),
            OCISpec.Namespace(type: "uts", path: "/proc/9/ns/uts"),
            OCISpec.Namespace(type: "mount"),
        ])
    }

    @Test func hostNamespacesAreLeftOut() throws {
        let sandbox = PodSandbox(hostname: "node1", network: .host, ipc: .host, uts: .host, pid: .host)
        let spec = try SpecBuilder.build(request(Container(name: "c"), sandbox: sandbox))
        #expect(spec.linux.namespaces == [OCISpec.Namespace(type: "mount")])
        #expect(spec.hostname == nil)
    }

    @Test func mounts() throws {
        let sandbox = PodSandbox(hostname: "p", hostsFile: "/pods/p/hosts", resolvConf: "/pods/p/resolv.conf",
                                 shmDirectory: "/pods/p/shm")
        let volumes = [BindMount(source: "/pods/p/vol/data/sub", destination: "/data/sub", readOnly: true),
                       BindMount(source: "/pods/p/vol/data", destination: "/data/")]
        let spec = try SpecBuilder.build(request(Container(name: "c"), sandbox: sandbox, mounts: volumes))
        #expect(spec.mounts.map(\.destination) == [
            "/proc", "/dev", "/dev/pts", "/dev/mqueue", "/sys", "/sys/fs/cgroup",
            "/etc/hosts", "/etc/resolv.conf", "/dev/shm", "/data/", "/data/sub",
        ])
        #expect(spec.mounts.last == OCISpec.Mount(destination: "/data/sub", type: "bind",
                                                  source: "/pods/p/vol/data/sub", options: ["rbind", "rprivate", "ro"]))
        #expect(spec.mounts.first { $0.destination == "/etc/hosts" }?.options == ["rbind", "rprivate", "rw"])
    }

    @Test func encodesTheRuntimeSpecShape() throws {
        let spec = try SpecBuilder.build(request(Container(name: "c")))
        let json = try #require(try JSONSerialization.jsonObject(with: spec.configJSON()) as? [String: Any])
        #expect(json["ociVersion"] as? String == "1.0.2")
        let process = try #require(json["process"] as? [String: Any])
        #expect(process["terminal"] as? Bool == false)
        #expect((process["user"] as? [String: Any])?["uid"] as? Int == 0)
        #expect(process["oomScoreAdj"] == nil)
        let linux = try #require(json["linux"] as? [String: Any])
        #expect((linux["namespaces"] as? [[String: Any]])?.first?["type"] as? String == "pid")
        #expect(((linux["resources"] as? [String: Any])?["cpu"] as? [String: Any])?["period"] as? Int == 100_000)
        #expect(try JSONDecoder().decode(OCISpec.self, from: spec.configJSON()) == spec)
    }
}
