import APIModel

/// A synthetic workload for measuring the scheduling core (no timing assertions; a bench
/// command calls ``run(nodeCount:podCount:seed:workload:)`` and prints the report).
///
/// The cluster has `nodeCount` nodes (4 cpu, 16Gi, 110 pods, three zones); the pods belong
/// to ReplicaSets of 10 and request 100m/128Mi. The whole pure pipeline of a
/// ``Scheduler`` is timed after the nodes are added: the watch events adding the pods,
/// the queue, each scheduling cycle with its assumption, and the watch confirming each
/// binding.
public enum SchedulingBenchmark {
    /// What the pods ask for beyond resources.
    public enum Workload: String, Sendable, CaseIterable {
        /// No constraints: the default spreading of ReplicaSet pods.
        case replicaSets
        /// Each pod also has its own constraints: zone spread `DoNotSchedule` (maxSkew 1)
        /// and hostname spread `ScheduleAnyway`, selecting its ReplicaSet's `app` label.
        case topologySpread
    }

    public struct Report: Sendable, CustomStringConvertible {
        public var nodeCount: Int
        public var scheduled: Int
        public var unschedulable: Int
        public var elapsed: Duration

        /// Pods placed per second.
        public var podsPerSecond: Double {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return seconds > 0 ? Double(scheduled + unschedulable) / seconds : 0
        }

        public var description: String {
            "\(nodeCount) nodes: \(scheduled) pods scheduled, \(unschedulable) unschedulable in \(elapsed)"
                + " (\(Int(podsPerSecond)) pods/s)"
        }
    }

    public static func run(nodeCount: Int, podCount: Int, seed: UInt64, workload: Workload = .replicaSets) -> Report {
        let nodes = (0..<nodeCount).map { index in
            let name = "node-\(index)"
            return Node(
                metadata: ObjectMeta(labels: [TopologyKey.hostnameLabel: name, TopologyKey.zoneLabel: "zone-\(index % 3)"],
                                     name: name),
                status: NodeStatus(allocatable: ["cpu": "4", "memory": "16Gi", "pods": "110"]))
        }
        let pods = (0..<podCount).map { index in
            let app = "app-\(index / 10)"
            var spec = PodSpec(containers: [Container(name: "c", resources: ResourceRequirements(
                requests: ["cpu": "100m", "memory": "128Mi"]))])
            if workload == .topologySpread {
                let selector = LabelSelector(matchLabels: ["app": app])
                spec.topologySpreadConstraints = [
                    TopologySpreadConstraint(labelSelector: selector, maxSkew: 1, topologyKey: TopologyKey.zoneLabel,
                                             whenUnsatisfiable: "DoNotSchedule"),
                    TopologySpreadConstraint(labelSelector: selector, maxSkew: 1, topologyKey: TopologyKey.hostnameLabel,
                                             whenUnsatisfiable: "ScheduleAnyway"),
                ]
            }
            return Pod(metadata: ObjectMeta(labels: ["app": app], name: "pod-\(index)", namespace: "bench",
                                            ownerReferences: [OwnerReference(kind: "ReplicaSet", controller: true,
                                                                             name: "rs-\(index / 10)", uid: "rs-\(index / 10)")]),
                       spec: spec)
        }
        let clock = ContinuousClock()
        var scheduler = Scheduler<ContinuousClock.Instant>()
        var generator = SplitMix64(seed: seed)
        var scheduled = 0
        var unschedulable = 0
        for node in nodes { scheduler.nodeAdded(node, now: clock.now) }
        let start = clock.now
        for pod in pods { scheduler.podAdded(pod, now: start) }
        cycles: while true {
            switch scheduler.scheduleNext(now: clock.now, using: &generator) {
            case .bind(let pod, let nodeName):
                scheduled += 1
                scheduler.bindingSucceeded(PodKey(pod))
                var bound = pod
                bound.spec?.nodeName = nodeName
                scheduler.podUpdated(from: pod, to: bound, now: clock.now)
            case .unschedulable:
                unschedulable += 1
            case .wait:
                break cycles
            }
        }
        return Report(nodeCount: nodeCount, scheduled: scheduled, unschedulable: unschedulable,
                      elapsed: start.duration(to: clock.now))
    }
}
