import APIModel
import Foundation

/// The per-pod files every container of a pod mounts: `/etc/hosts` (localhost and the pod's own name on its
/// IP, as the kubelet's managed hosts file), `/etc/hostname`, and `/etc/resolv.conf` pointing at the cluster
/// DNS address with the pod's search domains (`ClusterFirst`). Written below the pod's directory.
public enum PodFiles {
    public static let clusterDNS = "10.43.0.10"
    public static let clusterDomain = "cluster.local"

    public static func hosts(hostname: String, podIP: String) -> String {
        """
        # Kubernetes-managed hosts file.
        127.0.0.1\tlocalhost
        ::1\tlocalhost ip6-localhost ip6-loopback
        fe00::0\tip6-localnet
        fe00::1\tip6-allnodes
        fe00::2\tip6-allrouters
        \(podIP)\t\(hostname)

        """
    }

    public static func resolvConf(namespace: String) -> String {
        """
        search \(namespace).svc.\(clusterDomain) svc.\(clusterDomain) \(clusterDomain)
        nameserver \(clusterDNS)
        options ndots:5

        """
    }

    /// The pod's hostname: `spec.hostname`, else its name (truncated to 63 characters).
    public static func hostname(of pod: Pod) -> String {
        let name = pod.spec?.hostname ?? pod.metadata?.name ?? "pod"
        return String(name.prefix(63))
    }

    /// Writes the three files into `directory`; returns their paths (hosts, hostname, resolv.conf).
    public static func write(pod: Pod, podIP: String, directory: String) throws
        -> (hosts: String, hostname: String, resolvConf: String) {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let name = hostname(of: pod)
        let paths = (hosts: directory + "/etc-hosts", hostname: directory + "/hostname",
                     resolvConf: directory + "/resolv.conf")
        try hosts(hostname: name, podIP: podIP).write(toFile: paths.hosts, atomically: true, encoding: .utf8)
        try (name + "\n").write(toFile: paths.hostname, atomically: true, encoding: .utf8)
        try resolvConf(namespace: pod.metadata?.namespace ?? "default")
            .write(toFile: paths.resolvConf, atomically: true, encoding: .utf8)
        return paths
    }
}
