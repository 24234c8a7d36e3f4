import APIModel
import ContainerImages
import ContainerRuntime
import Foundation
import Logging
import NodeAgent
import PodNetwork

/// Carries out what pod workers ask of the node: sandboxes (network namespace and IP through
/// `PodNetworkManager`, the pause container), containers (image config and overlay root from the
/// `ImageStore`, volumes from `PodVolumes`, the spec from `SpecBuilder`, run by `OCIRuntime`), stops and
/// tear-downs. Calls for different pods may run concurrently; calls for one pod come from its driver, in order.
final class PodRuntime: Sendable {
    let configuration: NodeAgentConfiguration
    let runtime: OCIRuntime
    let images: ImageStore
    let network: PodNetworkManager
    let volumes: PodVolumes
    let memoryCapacity: Int64
    let logger: Logger

    init(configuration: NodeAgentConfiguration, runtime: OCIRuntime, images: ImageStore, network: PodNetworkManager,
         memoryCapacity: Int64, logger: Logger) {
        self.configuration = configuration
        self.runtime = runtime
        self.images = images
        self.network = network
        self.volumes = PodVolumes(podsDirectory: configuration.podsDirectory)
        self.memoryCapacity = memoryCapacity
        self.logger = logger
    }

    /// `runc://<id>`, as `containerStatuses[].containerID` shows it.
    var scheme: String { runtime.binary.kind.rawValue + "://" }

    static func newContainerID() -> String {
        (0..<4).map { _ in String(format: "%016llx", UInt64.random(in: .min ... .max)) }.joined()
    }

    func logLayout(_ pod: Pod) -> PodLogLayout {
        PodLogLayout(root: configuration.logsDirectory, namespace: pod.metadata?.namespace ?? "",
                     name: pod.metadata?.name ?? "", uid: pod.metadata?.uid ?? "")
    }

    // MARK: Sandbox

    /// Sets up the pod's network (none for `hostNetwork` pods: they use the node's), writes its /etc files and
    /// runs the pause container in the pod's namespaces. On failure everything made so far is undone.
    func createSandbox(_ pod: Pod) async throws -> SandboxHandle {
        let uid = pod.metadata?.uid ?? ""
        let hostNetwork = pod.spec?.hostNetwork ?? false
        let attachment = hostNetwork ? nil : try await network.setUp(podID: uid)
        let id = Self.newContainerID()
        do {
            let podIP = attachment?.ip.description ?? configuration.nodeIP
            let files = try PodFiles.write(pod: pod, podIP: podIP, directory: volumes.podDirectory(uid) + "/etc")
            try PauseRoot.prepare(configuration.pauseRootDirectory)
            let cgroupsPath = runtime.cgroups.cgroupsPath(forContainer: id)
            try labels(pod, kind: .sandbox, cgroupsPath: cgroupsPath).write(bundle: runtime.bundlePath(id))
            var container = Container(command: [configuration.executable, "pause"], name: "POD")
            container.securityContext = SecurityContext(readOnlyRootFilesystem: true)
            let sandbox = PodSandbox(hostname: PodFiles.hostname(of: pod),
                                     network: attachment.map { .join($0.netnsPath) } ?? .host,
                                     ipc: .new, uts: hostNetwork ? .host : .new)
            let spec = try SpecBuilder.build(ContainerSpecRequest(
                image: ContainerRuntime.ImageConfig(env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]),
                container: container, sandbox: sandbox,
                mounts: PauseRoot.mountsForThisProcess(executable: configuration.executable),
                rootfs: configuration.pauseRootDirectory, cgroupsPath: cgroupsPath,
                oomScoreAdj: Self.allowedOOMScoreAdj(-998)))
            let pid = try await runtime.run(id: id, spec: spec, logPath: runtime.bundlePath(id) + "/pause.log")
            return SandboxHandle(containerID: id, pid: pid, podIP: podIP, hostsFile: files.hosts,
                                 hostnameFile: files.hostname, resolvConf: files.resolvConf, hostNetwork: hostNetwork)
        } catch {
            try? await runtime.delete(id: id)
            if !hostNetwork { try? await network.tearDown(podID: uid) }
            throw error
        }
    }

    /// Stops and deletes the pause container, releases the IP and removes the namespace, then (unless
    /// `keepVolumes`: a sandbox replaced while the pod lives on) the pod's volumes and files. Every container of
    /// the pod has stopped already.
    func tearDownSandbox(podUID: String, sandbox: SandboxHandle?, keepVolumes: Bool = false) async {
        if let sandbox {
            _ = try? await runtime.stop(id: sandbox.containerID, grace: .seconds(2))
            do { try await runtime.delete(id: sandbox.containerID) } catch {
                logger.warning("deleting sandbox \(sandbox.containerID) failed: \(error)")
            }
        }
        if !(sandbox?.hostNetwork ?? false) { await releaseNetwork(podUID: podUID) }
        guard !keepVolumes else { return }
        do { try volumes.cleanUp(podUID: podUID) } catch {
            logger.warning("removing the volumes of pod \(podUID) failed: \(error)")
        }
    }

    /// Releases the pod's IP and namespace (a second try sees no namespace left and releases the lease).
    func releaseNetwork(podUID: String) async {
        do { try await network.tearDown(podID: podUID) } catch {
            do { try await network.tearDown(podID: podUID) } catch {
                logger.warning("tearing down the network of pod \(podUID) failed: \(error)")
            }
        }
    }

    // MARK: Containers

    /// Creates and starts `container` of `pod` in `sandbox`; returns it and its start time.
    func startContainer(_ container: Container, of pod: Pod, in sandbox: SandboxHandle, restartCount: Int,
                        mounts: [BindMount], env: [String: String]) async throws -> (RunningContainer, Date) {
        let reference = container.image ?? ""
        guard let record = try images.resolve(reference: reference) else {
            throw StartError("image \"\(reference)\" is not in the node's image store")
        }
        let config = try images.config(for: record)
        let layers = try images.layerDirectories(for: record).map(\.path)
        let id = Self.newContainerID()
        let rootfs = ContainerRootfs(containersDirectory: configuration.containersDirectory, id: id)
        let name = container.name ?? ""
        let logPath = logLayout(pod).logPath(container: name, restartCount: restartCount)
        do {
            try FileManager.default.createDirectory(atPath: logLayout(pod).containerDirectory(name),
                                                    withIntermediateDirectories: true)
            let merged = try rootfs.mount(layers: layers)
            let cgroupsPath = runtime.cgroups.cgroupsPath(forContainer: id)
            var labels = labels(pod, kind: .container, cgroupsPath: cgroupsPath)
            labels.containerName = name
            labels.restartCount = restartCount
            labels.logPath = logPath
            labels.startedAt = Date()
            try labels.write(bundle: runtime.bundlePath(id))
            let namespaces = sandbox.containerNamespaces()
            let podSandbox = PodSandbox(
                hostname: PodFiles.hostname(of: pod), network: namespaces.network, ipc: namespaces.ipc,
                uts: namespaces.uts, hostsFile: sandbox.hostsFile, resolvConf: sandbox.resolvConf,
                hostnameFile: sandbox.hostNetwork ? nil : sandbox.hostnameFile)
            let spec = try SpecBuilder.build(ContainerSpecRequest(
                image: ContainerRuntime.ImageConfig(entrypoint: config.entrypoint, cmd: config.cmd, env: config.env,
                                                    workingDir: config.workingDir, user: config.user),
                container: container, podSecurityContext: pod.spec?.securityContext, resolvedEnv: env,
                sandbox: podSandbox,
                mounts: mounts,
                rootfs: merged, cgroupsPath: cgroupsPath, users: Self.users(rootfs: merged),
                oomScoreAdj: oomScoreAdj(pod, container)))
            try await runtime.run(id: id, spec: spec, logPath: logPath)
            return (RunningContainer(name: name, containerID: id, logPath: logPath, restartCount: restartCount),
                    labels.startedAt ?? Date())
        } catch {
            await remove(containerID: id)
            throw error
        }
    }

    /// Deletes an ended (or running: it is killed) container and its root file system; its log stays.
    func remove(containerID id: String) async {
        do { try await runtime.delete(id: id) } catch {
            logger.debug("deleting container \(id): \(error)")
        }
        ContainerRootfs(containersDirectory: configuration.containersDirectory, id: id).remove()
    }

    private func labels(_ pod: Pod, kind: ContainerLabels.Kind, cgroupsPath: String) -> ContainerLabels {
        ContainerLabels(kind: kind, podUID: pod.metadata?.uid ?? "", podNamespace: pod.metadata?.namespace ?? "",
                        podName: pod.metadata?.name ?? "", cgroupsPath: cgroupsPath)
    }

    private func oomScoreAdj(_ pod: Pod, _ container: Container) -> Int {
        Self.allowedOOMScoreAdj(OOMScoreAdjust.value(qosClass: pod.status?.qosClass ?? "BestEffort",
                                                     memoryRequest: container.resources?.requests?["memory"]?.value ?? 0,
                                                     memoryCapacity: memoryCapacity))
    }

    /// `value`, raised to the agent's own `oom_score_adj`: lowering it below that needs CAP_SYS_RESOURCE, which
    /// an agent in a container may lack (the runtime's init then fails with EACCES).
    static func allowedOOMScoreAdj(_ value: Int, own: Int? = ownOOMScoreAdj()) -> Int {
        max(value, own ?? value)
    }

    private static func ownOOMScoreAdj() -> Int? {
        (try? String(contentsOfFile: "/proc/self/oom_score_adj", encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    private static func users(rootfs: String) -> UserDatabase {
        let passwd = (try? String(contentsOfFile: rootfs + "/etc/passwd", encoding: .utf8)) ?? ""
        let group = (try? String(contentsOfFile: rootfs + "/etc/group", encoding: .utf8)) ?? ""
        return UserDatabase(passwd: passwd, group: group)
    }

    struct StartError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
