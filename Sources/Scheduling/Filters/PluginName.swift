/// The scheduler plugins this core implements, under Kubernetes' names (which appear in
/// events and in the queue's record of what rejected a pod).
public enum PluginName: String, Hashable, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case schedulingGates = "SchedulingGates"
    case nodeUnschedulable = "NodeUnschedulable"
    case nodeName = "NodeName"
    case taintToleration = "TaintToleration"
    case nodeAffinity = "NodeAffinity"
    case nodePorts = "NodePorts"
    case nodeResourcesFit = "NodeResourcesFit"
    case podTopologySpread = "PodTopologySpread"
    case nodeResourcesBalancedAllocation = "NodeResourcesBalancedAllocation"

    public var description: String { rawValue }

    public static func < (lhs: PluginName, rhs: PluginName) -> Bool { lhs.rawValue < rhs.rawValue }
}
