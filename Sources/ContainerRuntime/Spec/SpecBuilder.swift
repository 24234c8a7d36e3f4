import APIModel

/// Builds a container's OCI runtime spec the way the kubelet and containerd's CRI plugin together would.
/// Pure: no file system access.
public enum SpecBuilder {
    /// The spec for `request`. Throws when there is no command to run or the image's user cannot be resolved.
    public static func build(_ request: ContainerSpecRequest) throws(SpecError) -> OCISpec {
        let container = request.container
        let security = container.securityContext
        let privileged = security?.privileged ?? false
        let variables = ContainerEnvironment.variables(of: container.env ?? [], resolvedValues: request.resolvedEnv,
                                                       serviceValues: request.serviceEnv)
        let values = Dictionary(variables.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
        let args = try ContainerEnvironment.processArgs(
            command: container.command, args: container.args, image: request.image, variables: values)
        let capabilities = CapabilitySet.effective(
            add: security?.capabilities?.add, drop: security?.capabilities?.drop, privileged: privileged)
        let process = OCISpec.Process(
            user: try user(request),
            args: args,
            env: ContainerEnvironment.processEnvironment(hostname: request.sandbox.hostname,
                                                         image: request.image.env, container: variables),
            cwd: nonEmpty(container.workingDir) ?? nonEmpty(request.image.workingDir) ?? "/",
            capabilities: OCISpec.Capabilities(bounding: capabilities, effective: capabilities,
                                               permitted: capabilities),
            noNewPrivileges: security?.allowPrivilegeEscalation.map { !$0 } ?? false,
            oomScoreAdj: request.oomScoreAdj)
        let sandbox = request.sandbox
        return OCISpec(
            process: process,
            root: OCISpec.Root(path: request.rootfs, readonly: security?.readOnlyRootFilesystem ?? false),
            hostname: sandbox.uts == .host ? nil : sandbox.hostname,
            mounts: mounts(request, privileged: privileged),
            linux: OCISpec.Linux(
                namespaces: namespaces(sandbox),
                resources: resources(container.resources, privileged: privileged),
                cgroupsPath: request.cgroupsPath,
                sysctl: sysctls(request.podSecurityContext),
                maskedPaths: privileged ? nil : DefaultMounts.maskedPaths,
                readonlyPaths: privileged ? nil : DefaultMounts.readonlyPaths))
    }

    /// uid: the container's runAsUser, else the pod's, else the image's user (0 without one). gid: runAsGroup
    /// (container, then pod), else — with a runAsUser — that uid's primary group in passwd, else the image
    /// user's group, else 0. Supplementary groups: the pod's supplementalGroups and fsGroup.
    static func user(_ request: ContainerSpecRequest) throws(SpecError) -> OCISpec.User {
        let container = request.container.securityContext
        let pod = request.podSecurityContext
        let runAsUser = (container?.runAsUser ?? pod?.runAsUser).map { UInt32(truncatingIfNeeded: $0) }
        let runAsGroup = (container?.runAsGroup ?? pod?.runAsGroup).map { UInt32(truncatingIfNeeded: $0) }
        var uid: UInt32 = 0
        var gid: UInt32 = 0
        if let runAsUser {
            uid = runAsUser
            gid = request.users.primaryGroup(ofUID: runAsUser) ?? 0
        } else if let imageUser = nonEmpty(request.image.user) {
            (uid, gid) = try request.users.resolve(imageUser)
        }
        if let runAsGroup { gid = runAsGroup }
        var additional = (pod?.supplementalGroups ?? []).map { UInt32(truncatingIfNeeded: $0) }
        if let fsGroup = pod?.fsGroup { additional.append(UInt32(truncatingIfNeeded: fsGroup)) }
        return OCISpec.User(uid: uid, gid: gid, additionalGids: additional.isEmpty ? nil : additional)
    }

    /// The default mounts minus those a pod or volume mount replaces (same destination), then the pod's files,
    /// then the volumes with parents before children.
    static func mounts(_ request: ContainerSpecRequest, privileged: Bool) -> [OCISpec.Mount] {
        let sandbox = request.sandbox
        let readOnlyRoot = request.container.securityContext?.readOnlyRootFilesystem ?? false
        let podFiles: [(source: String?, destination: String)] = [
            (sandbox.hostsFile, "/etc/hosts"), (sandbox.resolvConf, "/etc/resolv.conf"),
            (sandbox.hostnameFile, "/etc/hostname"), (sandbox.shmDirectory, "/dev/shm"),
        ]
        var extra = podFiles.compactMap { file in
            file.source.map { BindMount(source: $0, destination: file.destination, readOnly: readOnlyRoot) }
        }
        extra += request.mounts.enumerated()
            .sorted { ($0.element.depth, $0.offset) < ($1.element.depth, $1.offset) }
            .map(\.element)
        let replaced = Set(extra.map { normalized($0.destination) })
        return DefaultMounts.mounts(privileged: privileged).filter { !replaced.contains($0.destination) }
            + extra.map(\.ociMount)
    }

    /// pid, network, ipc, uts as the sandbox says, and always a mount namespace of the container's own.
    static func namespaces(_ sandbox: PodSandbox) -> [OCISpec.Namespace] {
        let modes: [(String, PodSandbox.NamespaceMode)] = [
            ("pid", sandbox.pid), ("network", sandbox.network), ("ipc", sandbox.ipc), ("uts", sandbox.uts),
            ("mount", .new),
        ]
        return modes.compactMap { type, mode in
            switch mode {
            case .new: OCISpec.Namespace(type: type)
            case .join(let path): OCISpec.Namespace(type: type, path: path)
            case .host: nil
            }
        }
    }

    /// Devices denied (all allowed when privileged; runc adds the standard ones), memory limit with swap equal
    /// to it (no swap), cpu shares from the request (the limit when there is no request), quota from the limit.
    static func resources(_ requirements: ResourceRequirements?, privileged: Bool) -> OCISpec.Resources {
        let cpuLimit = requirements?.limits?["cpu"]?.milliValue ?? 0
        let cpuRequest = requirements?.requests?["cpu"]?.milliValue ?? 0
        let memoryLimit = requirements?.limits?["memory"]?.value ?? 0
        return OCISpec.Resources(
            devices: [OCISpec.DeviceRule(allow: privileged, access: "rwm")],
            memory: memoryLimit > 0 ? OCISpec.Memory(limit: memoryLimit, swap: memoryLimit) : nil,
            cpu: OCISpec.CPU(shares: CPUResources.shares(milliCPU: cpuRequest == 0 ? cpuLimit : cpuRequest),
                             quota: CPUResources.quota(milliCPU: cpuLimit),
                             period: CPUResources.quotaPeriod))
    }

    /// The pod's sysctls (namespaced ones only pass Kubernetes validation); `nil` when there are none.
    static func sysctls(_ pod: PodSecurityContext?) -> [String: String]? {
        let entries = (pod?.sysctls ?? []).compactMap { sysctl in
            sysctl.name.map { ($0, sysctl.value ?? "") }
        }
        return entries.isEmpty ? nil : Dictionary(entries, uniquingKeysWith: { _, last in last })
    }

    private static func nonEmpty(_ value: String?) -> String? {
        value.flatMap { $0.isEmpty ? nil : $0 }
    }

    private static func normalized(_ path: String) -> String {
        "/" + path.split(separator: "/").joined(separator: "/")
    }
}

extension BindMount {
    /// Path components of the destination: mounts are applied parents first.
    var depth: Int { destination.split(separator: "/").count }
}
