import APIModel
import Controllers
import Foundation
import Testing

@Suite("DaemonSet status and revisions")
struct DaemonSetStatusTests {
    typealias F = DaemonFixtures

    @Test("Counts: desired, scheduled, misscheduled, ready, available, updated, unavailable")
    func counts() {
        let daemonSet = F.daemonSet(nodeSelector: ["role": "edge"], minReadySeconds: 60)
        let edge = ["role": "edge"]
        let nodes = [F.node("n1", labels: edge), F.node("n2", labels: edge), F.node("n3", labels: edge), F.node("n4", labels: edge),
                     F.node("n5")]
        let pods = [
            F.pod("a", node: "n1"),                              // ready, available, updated
            F.pod("b", node: "n2", hash: "old", readyFor: 10),   // ready, not yet available, old
            F.pod("c", node: "n3", readyFor: nil),               // not ready
            F.pod("d", node: "n5"),                              // misscheduled
            F.pod("e", node: "n4", phase: "Failed", deleting: true), // finished and going: not counted
        ]
        let counts = DaemonSetStatusCounts(daemonSet: daemonSet, nodes: nodes, pods: pods, hash: "new", now: F.now)
        #expect(counts.desiredNumberScheduled == 4)
        #expect(counts.currentNumberScheduled == 3)
        #expect(counts.numberMisscheduled == 1)
        #expect(counts.numberReady == 2)
        #expect(counts.numberAvailable == 1)
        #expect(counts.updatedNumberScheduled == 2)
        #expect(counts.numberUnavailable == 3)
        let status = DaemonSetStatus(currentNumberScheduled: 3, desiredNumberScheduled: 4, numberAvailable: 1, numberMisscheduled: 1,
                                     numberReady: 2, numberUnavailable: 3, updatedNumberScheduled: 2)
        #expect(DaemonSetStatusCounts(status) == counts)
    }

    @Test("The template hash is stable, and changes with the template and the collision count")
    func hash() {
        let one = F.daemonSet().spec?.template, two = F.daemonSet(image: "agent:2").spec?.template
        let hash = DaemonRevision.hash(of: one, collisionCount: nil)
        #expect(hash == DaemonRevision.hash(of: one, collisionCount: nil))
        #expect(hash != DaemonRevision.hash(of: two, collisionCount: nil))
        #expect(hash != DaemonRevision.hash(of: one, collisionCount: 1))
        #expect(!hash.isEmpty && hash.allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
    }

    @Test("A revision records the template as a replace patch; history splits current, duplicates and old")
    func history() throws {
        let daemonSet = F.daemonSet()
        let revision = DaemonRevision.make(for: daemonSet, revision: 1)
        let hash = DaemonRevision.hash(of: daemonSet.spec?.template, collisionCount: nil)
        #expect(revision.metadata?.name == "agent-\(hash)")
        #expect(revision.metadata?.labels == ["app": "agent", "controller-revision-hash": hash])
        #expect(revision.metadata?.ownerReferences?.first?.uid == "ds-uid")
        let template = try #require(revision.data?.objectValue?["spec"]?.objectValue?["template"]?.objectValue)
        #expect(template["$patch"] == .string("replace"))

        let older = DaemonRevision.make(for: F.daemonSet(image: "agent:0"), revision: 2)
        let oldest = DaemonRevision.make(for: F.daemonSet(image: "agent:-1"), revision: 1)
        var duplicate = revision
        duplicate.metadata?.name = "agent-dup"
        let history = DaemonRevision.History(daemonSet: daemonSet, revisions: [older, revision, duplicate, oldest])
        #expect(history.old.map(\.revision) == [1, 2])
        #expect(history.nextRevision == 3)
        #expect(history.current != nil && history.duplicates.count == 1)
        #expect(history.expired(limit: 1, liveHashes: []).map(\.revision) == [1])
        let oldestHash = try #require(oldest.metadata?.labels?["controller-revision-hash"])
        #expect(history.expired(limit: 1, liveHashes: [oldestHash]).map(\.revision) == [2])
        #expect(history.expired(limit: 10, liveHashes: []).isEmpty)
        #expect(DaemonRevision.History(daemonSet: daemonSet, revisions: []).nextRevision == 1)
    }
}
