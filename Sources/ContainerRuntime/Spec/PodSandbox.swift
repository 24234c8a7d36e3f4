/// What a container takes from its pod: the namespaces it shares, the pod's hostname and the per-pod files
/// mounted into every container. The node agent creates these once per pod (the network namespace through
/// CNI) and passes the same value for each of the pod's containers.
public struct PodSandbox: Hashable, Sendable {
    /// How a container gets one kind of namespace.
    public enum NamespaceMode: Hashable, Sendable {
        /// A namespace of its own, created with the container.
        case new
        /// Join the namespace at this path (`/var/run/netns/<name>`, `/proc/<pid>/ns/ipc`, …).
        case join(String)
        /// The host's namespace (hostNetwork, hostIPC, hostPID): no namespace entry at all.
        case host
    }

    public var hostname: String
    public var network: NamespaceMode
    public var ipc: NamespaceMode
    public var uts: NamespaceMode
    /// `.new` per container, as Kubernetes does unless `shareProcessNamespace` asks to join the pod's.
    public var pid: NamespaceMode
    /// Host file bind-mounted at /etc/hosts, if any.
    public var hostsFile: String?
    /// Host file bind-mounted at /etc/resolv.conf, if any.
    public var resolvConf: String?
    /// Host file bind-mounted at /etc/hostname, if any.
    public var hostnameFile: String?
    /// The pod's shared /dev/shm (a host directory bind-mounted in); `nil` gives each container its own tmpfs.
    public var shmDirectory: String?

    public init(hostname: String, network: NamespaceMode = .new, ipc: NamespaceMode = .new,
                uts: NamespaceMode = .new, pid: NamespaceMode = .new, hostsFile: String? = nil,
                resolvConf: String? = nil, hostnameFile: String? = nil, shmDirectory: String? = nil) {
        self.hostname = hostname
        self.network = network
        self.ipc = ipc
        self.uts = uts
        self.pid = pid
        self.hostsFile = hostsFile
        self.resolvConf = resolvConf
        self.hostnameFile = hostnameFile
        self.shmDirectory = shmDirectory
    }
}

/// A host path bind-mounted into a container (volumes: emptyDir, hostPath, configMap and secret directories,
/// projected files), resolved by the caller.
public struct BindMount: Hashable, Sendable {
    public var source: String
    public var destination: String
    public var readOnly: Bool

    public init(source: String, destination: String, readOnly: Bool = false) {
        self.source = source
        self.destination = destination
        self.readOnly = readOnly
    }

    /// The OCI mount: `rbind` with private propagation, `ro` or `rw`.
    var ociMount: OCISpec.Mount {
        OCISpec.Mount(destination: destination, type: "bind", source: source,
                      options: ["rbind", "rprivate", readOnly ? "ro" : "rw"])
    }
}
