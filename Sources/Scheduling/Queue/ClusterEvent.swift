import APIModel

/// A change in the cluster that may make parked (unschedulable) pods schedulable
/// (Kubernetes' `framework.ClusterEvent`, at the granularity the queue uses).
public enum ClusterEvent: Hashable, Sendable, CaseIterable {
    case nodeAdded
    /// A node's labels, taints, allocatable or `unschedulable` changed (see
    /// ``nodeUpdate(from:to:)``).
    case nodeUpdated
    case nodeDeleted
    /// A pod was bound to (or appeared on) a node.
    case assignedPodAdded
    /// A pod on a node changed (labels or requests).
    case assignedPodUpdated
    /// A pod left a node (deleted or finished).
    case assignedPodDeleted
    /// Parked too long (``QueueTimings/maxUnschedulableDuration``).
    case unschedulableTimeout

    /// The node-update event for a change from `old` to `new`, or nil when nothing a
    /// filter reads changed (status heartbeats, conditions, annotations).
    public static func nodeUpdate(from old: Node, to new: Node) -> ClusterEvent? {
        let changed = old.metadata?.labels != new.metadata?.labels
            || old.spec?.taints != new.spec?.taints
            || old.spec?.unschedulable != new.spec?.unschedulable
            || NodeAllocatable(old.status) != NodeAllocatable(new.status)
        return changed ? .nodeUpdated : nil
    }

    /// The plugins whose rejections this event may resolve, after the events each
    /// kube-scheduler plugin registers (`EventsToRegister`): node add/update for the node
    /// filters, NodeResourcesFit and NodePorts, pod deletions for NodeResourcesFit and
    /// NodePorts, all pod events and node add/delete/update for PodTopologySpread.
    /// ``unschedulableTimeout`` concerns every plugin but SchedulingGates, which only a pod
    /// update resolves. Node updates are not split by kind (labels, taints, allocatable)
    /// as Kubernetes splits them; an assigned pod's arrival wakes PodTopologySpread
    /// rejections, as the queueing hints of later Kubernetes versions do.
    public var interestedPlugins: Set<PluginName> {
        switch self {
        case .nodeAdded, .nodeUpdated:
            [.nodeUnschedulable, .nodeName, .taintToleration, .nodeAffinity, .nodePorts, .nodeResourcesFit,
             .podTopologySpread]
        case .nodeDeleted:
            [.podTopologySpread]
        case .assignedPodAdded, .assignedPodUpdated:
            [.podTopologySpread]
        case .assignedPodDeleted:
            [.nodePorts, .nodeResourcesFit, .podTopologySpread]
        case .unschedulableTimeout:
            Set(PluginName.allCases).subtracting([.schedulingGates])
        }
    }
}
