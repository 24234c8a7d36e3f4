/// The resource names the scheduler accounts for, and how it classifies the others
/// (Kubernetes' `v1.ResourceName` constants and `schedutil.IsScalarResourceName`).
public enum ResourceName {
    /// CPU, accounted in millicores.
    public static let cpu = "cpu"
    /// Memory, accounted in bytes.
    public static let memory = "memory"
    /// Local ephemeral storage, accounted in bytes.
    public static let ephemeralStorage = "ephemeral-storage"
    /// The number of pods a node accepts (only meaningful in a node's allocatable).
    public static let pods = "pods"

    /// Whether the scheduler accounts `name` as a scalar resource: an extended resource
    /// (a domain-prefixed name outside `kubernetes.io`), a prefixed native resource
    /// (`kubernetes.io/…`), `hugepages-…` or `attachable-volumes-…`. Other unprefixed names
    /// (such as `storage`) are ignored by scheduling, as in Kubernetes.
    public static func isScalar(_ name: String) -> Bool {
        if name.hasPrefix("hugepages-") || name.hasPrefix("attachable-volumes-") { return true }
        guard name.contains("/") else { return false }
        // Kubernetes' IsExtendedResourceName excludes quota names (`requests.…`).
        return !name.hasPrefix("requests.")
    }
}
