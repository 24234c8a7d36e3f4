import APIModel
import Scheduling

/// Whether a DaemonSet's pod should run on a node (Kubernetes' `NodeShouldRunDaemonPod`), with the scheduler's own
/// predicates: the template's `spec.nodeName` (when set), its node selector and required node affinity
/// (`RequiredNodeAffinity`), and the node's NoSchedule and NoExecute taints against the template's tolerations plus
/// the daemon tolerations (`DaemonPodTemplate.tolerations`).
///
/// Contracts:
/// - `shouldRun`: a daemon pod belongs on the node (a missing one is created).
/// - `shouldContinueRunning`: a daemon pod already there may stay. False when the name or affinity do not match or a
///   NoExecute taint is not tolerated; an untolerated NoSchedule taint alone keeps running pods but starts no new one.
public struct DaemonNodeEligibility: Sendable {
    public struct Decision: Hashable, Sendable {
        public var shouldRun: Bool
        public var shouldContinueRunning: Bool

        public init(shouldRun: Bool, shouldContinueRunning: Bool) {
            self.shouldRun = shouldRun
            self.shouldContinueRunning = shouldContinueRunning
        }
    }

    private let nodeName: String?
    private let affinity: RequiredNodeAffinity
    private let tolerations: [Toleration]

    public init(_ daemonSet: DaemonSet) {
        var spec = daemonSet.spec?.template?.spec ?? PodSpec()
        DaemonPodTemplate.addDaemonTolerations(to: &spec)
        let name = spec.nodeName ?? ""
        nodeName = name.isEmpty ? nil : name
        affinity = RequiredNodeAffinity(spec)
        tolerations = spec.tolerations ?? []
    }

    public func evaluate(_ node: Node) -> Decision {
        let info = NodeInfo(node: node)
        if let nodeName, nodeName != info.name { return Decision(shouldRun: false, shouldContinueRunning: false) }
        guard affinity.matches(info) else { return Decision(shouldRun: false, shouldContinueRunning: false) }
        let taints = node.spec?.taints ?? []
        if tolerations.firstUntolerated(in: taints, effects: TaintTolerationFilter.filteredEffects) != nil {
            let evicted = tolerations.firstUntolerated(in: taints, effects: [TaintEffect.noExecute]) != nil
            return Decision(shouldRun: false, shouldContinueRunning: !evicted)
        }
        return Decision(shouldRun: true, shouldContinueRunning: true)
    }
}
