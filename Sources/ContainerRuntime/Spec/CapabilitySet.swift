/// Linux capabilities of a container, computed as containerd's CRI plugin does.
public enum CapabilitySet {
    /// containerd's default capabilities for an unprivileged container (the set Kubernetes containers get).
    public static let defaults: [String] = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
        "CAP_AUDIT_WRITE",
    ]

    /// Every capability the kernel defines (0 … 40), in number order: what `ALL` and privileged mean.
    public static let all: [String] = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
        "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
        "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
        "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
    ]

    /// The capability names a container ends up with. Kubernetes names them without the `CAP_` prefix, in any
    /// case. Order of application (containerd's): `ALL` in `add` grants everything, `ALL` in `drop` removes
    /// everything, then each named add, then each named drop — so a drop wins over an add of the same name.
    /// A privileged container gets `all` regardless of add and drop.
    public static func effective(add: [String]?, drop: [String]?, privileged: Bool) -> [String] {
        if privileged { return all }
        let adds = (add ?? []).map(canonical)
        let drops = (drop ?? []).map(canonical)
        var result = defaults
        if adds.contains("ALL") { result = all }
        if drops.contains("ALL") { result = [] }
        for name in adds where name != "ALL" && !result.contains(name) { result.append(name) }
        result.removeAll { drops.contains($0) }
        return result
    }

    /// `net_admin` → `CAP_NET_ADMIN`; `all` → `ALL`.
    static func canonical(_ name: String) -> String {
        let upper = name.uppercased()
        if upper == "ALL" || upper.hasPrefix("CAP_") { return upper }
        return "CAP_" + upper
    }
}
