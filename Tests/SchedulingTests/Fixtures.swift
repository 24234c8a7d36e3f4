import APIModel
@testable import Scheduling

/// A node with the given allocatable, labels (plus `kubernetes.io/hostname`) and taints.
func makeNode(_ name: String, cpu: String = "4", memory: String = "8Gi", pods: String = "110",
              extra: [String: Quantity] = [:], labels: [String: String] = [:], taints: [Taint] = [],
              unschedulable: Bool = false) -> Node {
    var allocatable: [String: Quantity] = ["cpu": Quantity(stringLiteral: cpu),
                                           "memory": Quantity(stringLiteral: memory),
                                           "pods": Quantity(stringLiteral: pods)]
    allocatable.merge(extra) { $1 }
    return Node(metadata: ObjectMeta(labels: labels.merging(["kubernetes.io/hostname": name]) { old, _ in old },
                                     name: name),
                spec: NodeSpec(taints: taints.isEmpty ? nil : taints, unschedulable: unschedulable ? true : nil),
                status: NodeStatus(allocatable: allocatable))
}

/// A container requesting the given resources (nil: not stated).
func makeContainer(cpu: String? = nil, memory: String? = nil, extra: [String: Quantity] = [:],
                   restartPolicy: String? = nil, hostPorts: [ContainerPort] = []) -> Container {
    var requests = extra
    if let cpu { requests["cpu"] = Quantity(stringLiteral: cpu) }
    if let memory { requests["memory"] = Quantity(stringLiteral: memory) }
    return Container(name: "c", ports: hostPorts.isEmpty ? nil : hostPorts,
                     resources: ResourceRequirements(requests: requests.isEmpty ? nil : requests),
                     restartPolicy: restartPolicy)
}

/// A pod with one container requesting `cpu`/`memory`, customized by `configure`.
func makePod(_ name: String, namespace: String = "default", cpu: String? = nil, memory: String? = nil,
             labels: [String: String] = [:], nodeName: String? = nil, priority: Int32? = nil,
             owner: String? = nil, configure: (inout PodSpec) -> Void = { _ in }) -> Pod {
    var spec = PodSpec(containers: [makeContainer(cpu: cpu, memory: memory)])
    spec.nodeName = nodeName
    spec.priority = priority
    configure(&spec)
    let owners = owner.map { [OwnerReference(kind: "ReplicaSet", apiVersion: "apps/v1", controller: true, name: $0, uid: "uid-" + $0)] }
    return Pod(metadata: ObjectMeta(labels: labels.isEmpty ? nil : labels, name: name, namespace: namespace,
                                    ownerReferences: owners),
               spec: spec)
}

func taint(_ key: String, _ value: String = "", _ effect: String = "NoSchedule") -> Taint {
    Taint(effect: effect, key: key, value: value)
}

/// A cache holding the nodes and the (bound) pods.
func makeCache(nodes: [Node], pods: [Pod] = []) -> SchedulerCache {
    var cache = SchedulerCache()
    for node in nodes { cache.addNode(node) }
    for pod in pods { cache.addPod(pod) }
    return cache
}

/// The node entry of `node` with `pods` on it.
func makeNodeInfo(_ node: Node, pods: [Pod] = []) -> NodeInfo {
    var info = NodeInfo(node: node)
    for pod in pods { info.add(AssignedPod(pod)) }
    return info
}
