import Testing
import APIModel
@testable import Scheduling

@Suite struct SchedulerCacheTests {
    @Test func nodeInfoKeepsSums() {
        var info = NodeInfo(node: makeNode("n1"))
        let a = makePod("a", cpu: "500m", memory: "1Gi", nodeName: "n1") { spec in
            spec.containers?[0].ports = [ContainerPort(containerPort: 80, hostPort: 8080)]
        }
        let b = makePod("b", nodeName: "n1")
        info.add(AssignedPod(a))
        info.add(AssignedPod(b))
        #expect(info.podCount == 2)
        #expect(info.requested.milliCPU == 500)
        #expect(info.nonZeroRequestedMilliCPU == 600)
        #expect(info.usedPorts.conflicts(with: HostPort(ip: nil, protocol: nil, port: 8080)))
        info.remove(PodKey(a))
        #expect(info.requested == .zero)
        #expect(info.nonZeroRequestedMilliCPU == 100)
        #expect(info.usedPorts.isEmpty)
    }

    @Test func assumeThenConfirmByTheWatch() throws {
        var cache = makeCache(nodes: [makeNode("n1"), makeNode("n2")])
        let pod = makePod("p", cpu: "1")
        try cache.assume(pod, onNode: "n1")
        #expect(cache.isAssumed(PodKey(pod)))
        #expect(cache.nodeInfo(named: "n1")?.requested.milliCPU == 1000)

        var bound = pod
        bound.spec?.nodeName = "n1"
        cache.addPod(bound)
        #expect(!cache.isAssumed(PodKey(pod)))
        #expect(cache.nodeInfo(named: "n1")?.podCount == 1)
        // Confirmed pods are not forgotten.
        cache.forget(PodKey(pod))
        #expect(cache.nodeInfo(named: "n1")?.podCount == 1)
    }

    @Test func forgetUndoesAssume() throws {
        var cache = makeCache(nodes: [makeNode("n1")])
        let pod = makePod("p", cpu: "1")
        try cache.assume(pod, onNode: "n1")
        #expect(throws: SchedulerCache.Failure.podAlreadyPresent(PodKey(pod))) { try cache.assume(pod, onNode: "n1") }
        cache.forget(PodKey(pod))
        #expect(cache.nodeInfo(named: "n1")?.podCount == 0)
        #expect(cache.nodeInfo(named: "n1")?.requested == .zero)
        #expect(cache.podCount == 0)
    }

    @Test func confirmationOnAnotherNodeMovesThePod() throws {
        var cache = makeCache(nodes: [makeNode("n1"), makeNode("n2")])
        let pod = makePod("p", cpu: "1")
        try cache.assume(pod, onNode: "n1")
        cache.addPod(makePod("p", cpu: "1", nodeName: "n2"))
        #expect(cache.nodeInfo(named: "n1")?.podCount == 0)
        #expect(cache.nodeInfo(named: "n2")?.podCount == 1)
    }

    @Test func terminalAndUnassignedPodsHoldNothing() {
        var cache = makeCache(nodes: [makeNode("n1")], pods: [makePod("p", cpu: "1", nodeName: "n1")])
        var finished = makePod("p", cpu: "1", nodeName: "n1")
        finished.status = PodStatus(phase: "Succeeded")
        cache.updatePod(finished)
        #expect(cache.nodeInfo(named: "n1")?.podCount == 0)
        cache.addPod(makePod("pending", cpu: "1"))
        #expect(cache.podCount == 0)
    }

    @Test func aPendingVersionOfAnAssumedPodKeepsTheAssumption() throws {
        var cache = makeCache(nodes: [makeNode("n1")])
        try cache.assume(makePod("p", cpu: "1"), onNode: "n1")
        cache.updatePod(makePod("p", cpu: "1"))  // e.g. a status update racing the binding
        #expect(cache.isAssumed(PodKey(namespace: "default", name: "p")))
        #expect(cache.nodeInfo(named: "n1")?.requested.milliCPU == 1000)
    }

    @Test func podsBeforeTheirNodeAreAdoptedAndSurviveNodeDeletion() {
        var cache = SchedulerCache()
        cache.addPod(makePod("p", cpu: "1", nodeName: "n1"))
        #expect(cache.nodeCount == 0)
        cache.addNode(makeNode("n1"))
        #expect(cache.nodeInfo(named: "n1")?.requested.milliCPU == 1000)
        cache.removeNode(named: "n1")
        #expect(cache.nodeCount == 0)
        cache.addNode(makeNode("n1"))
        #expect(cache.nodeInfo(named: "n1")?.podCount == 1)
        cache.removeNode(named: "n1")
        cache.removePod(PodKey(namespace: "default", name: "p"))
        cache.addNode(makeNode("n1"))
        #expect(cache.nodeInfo(named: "n1")?.podCount == 0)
    }

    @Test func nodeOrderIsStable() {
        var cache = makeCache(nodes: ["a", "b", "c", "d"].map { makeNode($0) })
        cache.updateNode(makeNode("b", cpu: "8"))
        cache.removeNode(named: "a")
        #expect(cache.nodes.map(\.name) == ["b", "c", "d"])
        #expect(cache.nodeInfo(named: "d")?.name == "d")
        #expect(cache.nodeInfo(named: "b")?.allocatable.resources.milliCPU == 8000)
    }

    @Test func spreadingOwnerCountsSkipTerminatingPods() {
        var terminating = makePod("t", nodeName: "n1", owner: "rs")
        terminating.metadata?.deletionTimestamp = Time(secondsSinceEpoch: 1_700_000_000)
        let cache = makeCache(nodes: [makeNode("n1")],
                              pods: [makePod("a", nodeName: "n1", owner: "rs"), terminating])
        let owner = SpreadingOwner(namespace: "default", owner: "uid-rs")
        #expect(cache.nodeInfo(named: "n1")?.podCountBySpreadingOwner[owner] == 1)
        #expect(cache.nodeInfo(named: "n1")?.podCount == 2)
    }

    @Test func zoneSpreadCountsFollowPodsAndNodeLabels() throws {
        let zone = "topology.kubernetes.io/zone"
        var cache = makeCache(nodes: [makeNode("n1", labels: [zone: "a"]), makeNode("n2", labels: [zone: "b"]), makeNode("n3")],
                              pods: [makePod("x", nodeName: "n1", owner: "rs"), makePod("y", nodeName: "n3", owner: "rs")])
        let owner = SpreadingOwner(namespace: "default", owner: "uid-rs")
        #expect(cache.zoneSpreadCounts.count(of: owner, inZone: "a") == 1)
        try cache.assume(PodToSchedule(makePod("z", owner: "rs")), onNode: "n2")
        #expect(cache.zoneSpreadCounts.count(of: owner, inZone: "b") == 1)
        cache.updateNode(makeNode("n1", labels: [zone: "b"]))
        #expect(cache.zoneSpreadCounts.count(of: owner, inZone: "a") == 0)
        #expect(cache.zoneSpreadCounts.count(of: owner, inZone: "b") == 2)
        cache.updateNode(makeNode("n3", labels: [zone: "a"]))
        #expect(cache.zoneSpreadCounts.count(of: owner, inZone: "a") == 1)
        cache.forget(PodKey(namespace: "default", name: "z"))
        cache.removeNode(named: "n1")
        #expect(cache.zoneSpreadCounts.count(of: owner, inZone: "b") == 0)
        cache.removePod(PodKey(namespace: "default", name: "y"))
        #expect(cache.zoneSpreadCounts.count(of: owner, inZone: "a") == 0)
    }
}
