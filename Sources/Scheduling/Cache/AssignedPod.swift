import APIModel

/// A pod assigned to a node (bound, or assumed by the scheduler), reduced once to what
/// filtering and scoring read, so that no plugin looks into the API object again.
///
/// Immutable, and a class so that the per-cycle scans of a node's pods (topology spread
/// with label selectors) cost one reference count per pod rather than one per field.
public final class AssignedPod: Sendable {
    public let key: PodKey
    /// The pod's labels (for topology spread selectors).
    public let labels: [String: String]
    /// The pod's labels as keys of the nodes' label index.
    public let labelIndexKeys: [LabelIndexKey]
    /// Its requests and non-zero scoring requests.
    public let requests: PodResourceRequests
    /// The host ports its containers bind.
    public let hostPorts: [HostPort]
    /// The workload it belongs to for default spreading, if any.
    public let spreadingOwner: SpreadingOwner?
    /// Whether it is being deleted (`deletionTimestamp` set): it still holds its resources
    /// and ports, but topology spreading does not count it, as in Kubernetes.
    public let isTerminating: Bool

    public init(_ pod: Pod) {
        self.key = PodKey(pod)
        self.labels = pod.metadata?.labels ?? [:]
        self.labelIndexKeys = Self.indexKeys(labels, namespace: key.namespace)
        self.requests = PodResourceRequests(pod.spec)
        self.hostPorts = HostPort.requested(by: pod.spec)
        self.spreadingOwner = SpreadingOwner(pod)
        self.isTerminating = pod.metadata?.deletionTimestamp != nil
    }

    /// The pod the scheduler just placed, reusing what scheduling computed.
    public init(_ pod: PodToSchedule) {
        self.key = pod.key
        self.labels = pod.labels
        self.labelIndexKeys = Self.indexKeys(labels, namespace: key.namespace)
        self.requests = pod.requests
        self.hostPorts = pod.hostPorts
        self.spreadingOwner = pod.spreadingOwner
        self.isTerminating = pod.pod.metadata?.deletionTimestamp != nil
    }

    private static func indexKeys(_ labels: [String: String], namespace: String) -> [LabelIndexKey] {
        labels.map { LabelIndexKey(namespace: namespace, key: $0.key, value: $0.value) }
    }
}
