import ContainerRuntime

/// A pod's sandbox as the node runs it: the root container that holds the pod's network, IPC and UTS
/// namespaces (its process runs `skiff pause`), and the pod's IP on the node's bridge.
public struct SandboxHandle: Sendable, Equatable {
    /// The sandbox container's runtime ID.
    public var containerID: String
    /// The pause process on the host; the pod's containers join `/proc/<pid>/ns/{net,ipc,uts}`.
    public var pid: Int32
    public var podIP: String
    /// The pod's /etc/hosts, /etc/hostname and /etc/resolv.conf on the host.
    public var hostsFile: String
    public var hostnameFile: String
    public var resolvConf: String
    /// `hostNetwork: true`: the pod uses the node's network and UTS namespaces (its IP is the node's).
    public var hostNetwork: Bool = false

    public func namespacePath(_ kind: String) -> String { "/proc/\(pid)/ns/\(kind)" }

    /// How the pod's containers get their namespaces: the sandbox's IPC always; its network and UTS, or the
    /// node's own for `hostNetwork` pods (never joined by path, so no container sets the node's hostname).
    func containerNamespaces() -> (network: PodSandbox.NamespaceMode, ipc: PodSandbox.NamespaceMode,
                                   uts: PodSandbox.NamespaceMode) {
        if hostNetwork { return (.host, .join(namespacePath("ipc")), .host) }
        return (.join(namespacePath("net")), .join(namespacePath("ipc")), .join(namespacePath("uts")))
    }
}

/// A container of a pod as the node runs it (for `kubectl logs`/`exec` and for stopping it).
public struct RunningContainer: Sendable, Equatable {
    public var name: String
    /// The runtime's container ID (without the `runc://` scheme).
    public var containerID: String
    public var logPath: String
    public var restartCount: Int
    /// Set once its process ended (the entry stays, so its log can still be read).
    public var exited = false
}
