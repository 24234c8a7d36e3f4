import APIModel

/// A synthetic workload for measuring the scheduling core (no timing assertions; a bench
/// command calls ``run(nodeCount:podCount:seed:workload:)`` and prints the report).
///
/// The cluster has `nodeCount` nodes (4 cpu, 16Gi, 110 pods, three zones); the pods belong
/// to ReplicaSets of 10, request 100m/128Mi, and are scheduled one after the other, each
/// assumed in the cache as the scheduler service would.
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
        var cache = SchedulerCache()
        for index in 0..<nodeCount {
            let name = "node-\(index)"
            cache.addNode(Node(
                metadata: ObjectMeta(labels: ["kubernetes.io/hostname": name, "topology.kubernetes.io/zone": "zone-\(index % 3)"],
                                     name: name),
                status: NodeStatus(allocatable: ["cpu": "4", "memory": "16Gi", "pods": "110"])))
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
        var algorithm = SchedulingAlgorithm()
        var generator = SplitMix64(seed: seed)
        var scheduled = 0
        var unschedulable = 0
        let clock = ContinuousClock()
        let start = clock.now
        for pod in pods {
            let toSchedule = PodToSchedule(pod)
            switch algorithm.schedule(toSchedule, in: cache, using: &generator) {
            case .success(let result):
                try? cache.assume(toSchedule, onNode: result.nodeName)
                scheduled += 1
            case .failure:
                unschedulable += 1
            }
        }
        return Report(nodeCount: nodeCount, scheduled: scheduled, unschedulable: unschedulable,
                      elapsed: start.duration(to: clock.now))
    }
}
