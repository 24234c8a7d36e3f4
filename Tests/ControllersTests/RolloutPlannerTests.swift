import APIModel
import Controllers
import Foundation
import Testing

/// The pure rollout planning: bounds, rolling and recreate steps, proportional scaling, history cleanup.
@Suite("Rollout planner")
struct RolloutPlannerTests {
    private static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    private func rs(_ name: String, _ replicas: Int, available: Int? = nil, current: Int? = nil, age: TimeInterval = 0,
                    revision: Int = 0, desired: Int? = nil, max: Int? = nil) -> RolloutReplicaSet {
        RolloutReplicaSet(name: name, created: Self.t0.addingTimeInterval(-age), replicas: replicas, currentReplicas: current,
                          availableReplicas: available ?? replicas, revision: revision, desiredAnnotation: desired,
                          maxAnnotation: max)
    }

    @Test("maxSurge rounds up, maxUnavailable down; both 0 makes maxUnavailable 1; Recreate has neither",
          arguments: [
              (10, IntOrString("25%"), IntOrString("25%"), "RollingUpdate", 3, 2),
              (3, "25%", "25%", "RollingUpdate", 1, 0),
              (1, "25%", "25%", "RollingUpdate", 1, 0),
              (4, 0, 0, "RollingUpdate", 0, 1),
              (5, 2, 10, "RollingUpdate", 2, 5),
              (0, "25%", 3, "RollingUpdate", 0, 0),
              (7, "50%", "50%", "RollingUpdate", 4, 3),
              (10, "25%", "25%", "Recreate", 0, 0),
          ] as [(Int, IntOrString, IntOrString, String, Int, Int)])
    func bounds(replicas: Int, surge: IntOrString, unavailable: IntOrString, type: String, maxSurge: Int, maxUnavailable: Int) {
        let strategy = DeploymentStrategy(rollingUpdate: RollingUpdateDeployment(maxSurge: surge, maxUnavailable: unavailable), type: type)
        let bounds = RolloutBounds(replicas: replicas, strategy: strategy)
        #expect(bounds.maxSurge == maxSurge)
        #expect(bounds.maxUnavailable == maxUnavailable)
    }

    @Test("Percentages scale against the total, rounding either way; malformed ones are nil")
    func scaledValues() {
        #expect(IntOrString("33%").scaledValue(total: 10, roundUp: true) == 4)
        #expect(IntOrString("33%").scaledValue(total: 10, roundUp: false) == 3)
        #expect(IntOrString(5).scaledValue(total: 10, roundUp: false) == 5)
        #expect(IntOrString("x").scaledValue(total: 10, roundUp: true) == nil)
        #expect(IntOrString("10").scaledValue(total: 10, roundUp: true) == nil)
    }

    @Test("A rolling update step: grow the new ReplicaSet within the surge, else shrink the old within availability",
          arguments: [
              // replicas, surge, unavailable, new (replicas, available), old (replicas, available) → steps
              (3, 1, 0, (0, 0), [(3, 3)], ["new 0→1"]),
              (3, 1, 0, (1, 0), [(3, 3)], []),
              (3, 1, 0, (1, 1), [(3, 3)], ["old0 3→2"]),
              (3, 1, 0, (1, 1), [(2, 2)], ["new 1→2"]),
              (10, 3, 2, (0, 0), [(10, 10)], ["new 0→3"]),
              (10, 3, 2, (3, 0), [(10, 10)], ["old0 10→8"]),
              (10, 3, 2, (3, 0), [(8, 8)], ["new 3→5"]),
              (4, 0, 1, (0, 0), [(4, 4)], ["old0 4→3"]),
              (4, 0, 1, (0, 0), [(3, 3)], ["new 0→1"]),
              // Unavailable old pods go first, oldest ReplicaSet first; then available ones down to the minimum.
              (4, 1, 1, (1, 1), [(2, 0), (2, 2)], ["old0 2→0"]),
              (4, 1, 1, (1, 1), [(1, 0), (3, 3)], ["old0 1→0", "old1 3→2"]),
              (3, 1, 0, (5, 5), [(1, 1)], ["new 5→3"]),
              (3, 1, 0, (3, 3), [(1, 1)], ["old0 1→0"]),
              (3, 1, 0, (3, 3), [], []),
          ] as [(Int, Int, Int, (Int, Int), [(Int, Int)], [String])])
    func rollingStep(replicas: Int, surge: Int, unavailable: Int, new: (Int, Int), old: [(Int, Int)], expected: [String]) {
        let bounds = RolloutBounds(replicas: replicas, maxSurge: surge, maxUnavailable: unavailable)
        let olds = old.enumerated().map { rs("old\($0.offset)", $0.element.0, available: $0.element.1, age: Double(100 - $0.offset)) }
        let steps = RolloutPlanner.rollingUpdate(bounds, new: rs("new", new.0, available: new.1), old: olds)
        #expect(steps.map(\.description) == expected)
    }

    @Test("An old ReplicaSet just scaled down, whose status still counts the pods it is deleting, holds the surge and is not counted available beyond its size",
          arguments: [
              // replicas, surge, unavailable, new (replicas, available, status replicas), old (replicas, available, status replicas) → steps
              // Old 4→3 not yet carried out: its 4th pod still runs, so the new one may not grow (Kubernetes: new 3→4,
              // 8 pods); the old one may shrink on (3 + 2 available when done).
              (6, 1, 1, (3, 3, 3), (3, 4, 4), ["old0 3→2"]),
              // Carried out (status 3): room for one more new pod.
              (6, 1, 1, (3, 3, 3), (3, 3, 3), ["new 3→4"]),
              // New at 4 (3 available); old at 3 with a stale status of 4 available: 3 + 3 = 6 available, one may go
              // (Kubernetes counts 7 and takes two: 4 pods available).
              (6, 1, 1, (4, 3, 4), (3, 4, 4), ["old0 3→2"]),
          ] as [(Int, Int, Int, (Int, Int, Int), (Int, Int, Int), [String])])
    func staleOldStatus(replicas: Int, surge: Int, unavailable: Int, new: (Int, Int, Int), old: (Int, Int, Int),
                        expected: [String]) {
        let bounds = RolloutBounds(replicas: replicas, maxSurge: surge, maxUnavailable: unavailable)
        let steps = RolloutPlanner.rollingUpdate(bounds, new: rs("new", new.0, available: new.1, current: new.2),
                                                 old: [rs("old0", old.0, available: old.1, current: old.2, age: 100)])
        #expect(steps.map(\.description) == expected)
    }

    @Test("A whole rolling update, pods becoming available at once, keeps within maxSurge and maxUnavailable",
          arguments: [(3, 1, 0), (10, 3, 2), (5, 0, 1), (6, 2, 2), (1, 1, 0)])
    func wholeRollout(replicas: Int, surge: Int, unavailable: Int) {
        let bounds = RolloutBounds(replicas: replicas, maxSurge: surge, maxUnavailable: unavailable)
        var new = rs("new", 0)
        var old = [rs("old", replicas, age: 100)]
        for _ in 0..<100 {
            let steps = RolloutPlanner.rollingUpdate(bounds, new: new, old: old)
            if steps.isEmpty { break }
            for step in steps {
                if step.name == "new" { new.replicas = step.to } else { old[0].replicas = step.to }
            }
            let total = new.replicas + old[0].replicas
            #expect(total <= replicas + surge)
            // Shrinking takes pods away before new ones are ready: availability never drops below the minimum.
            #expect(min(new.availableReplicas, new.replicas) + old[0].replicas >= replicas - unavailable)
            new.currentReplicas = new.replicas
            new.availableReplicas = new.replicas
            old[0].currentReplicas = old[0].replicas
            old[0].availableReplicas = old[0].replicas
        }
        #expect(new.replicas == replicas)
        #expect(old[0].replicas == 0)
    }

    @Test("Recreate: old ReplicaSets to 0, wait for their pods, then the new one at full size")
    func recreate() {
        let bounds = RolloutBounds(replicas: 3, maxSurge: 0, maxUnavailable: 0)
        #expect(RolloutPlanner.recreate(bounds, new: nil, old: [rs("a", 3, age: 20), rs("b", 1, age: 10)], oldPodsRunning: true)
            == .scale([ScaleStep(name: "a", from: 3, to: 0), ScaleStep(name: "b", from: 1, to: 0)]))
        #expect(RolloutPlanner.recreate(bounds, new: nil, old: [rs("a", 0)], oldPodsRunning: true) == .waitForOldPods)
        #expect(RolloutPlanner.recreate(bounds, new: nil, old: [rs("a", 0)], oldPodsRunning: false) == .createNewReplicaSet)
        #expect(RolloutPlanner.recreate(bounds, new: rs("n", 0), old: [rs("a", 0)], oldPodsRunning: false)
            == .scale([ScaleStep(name: "n", from: 0, to: 3)]))
        #expect(RolloutPlanner.recreate(bounds, new: rs("n", 3), old: [rs("a", 0)], oldPodsRunning: false) == RolloutPlanner.RecreateAction.none)
        #expect(RolloutPlanner.newReplicaSetSize(bounds, recreate: true, new: rs("n", 0), all: [rs("n", 0), rs("a", 3)]) == 3)
    }

    @Test("Resizing mid-rollout shares the change out in proportion, the leftover to the biggest (newest) ReplicaSet")
    func proportional() {
        // 10 → 20 replicas with maxSurge 3: 23 allowed, 13 to add.
        let bounds = RolloutBounds(replicas: 20, maxSurge: 3, maxUnavailable: 0)
        let steps = RolloutPlanner.proportionalScale(bounds, recreate: false, new: rs("new", 5, desired: 10, max: 13),
                                                     old: [rs("old", 5, age: 100, desired: 10, max: 13)], statusReplicas: 10)
        #expect(steps.map(\.description) == ["new 5→14", "old 5→9"])
        // Shrinking 20 → 10 (maxSurge 1: 11 allowed) takes from the biggest, oldest first among equals.
        let down = RolloutPlanner.proportionalScale(RolloutBounds(replicas: 10, maxSurge: 1, maxUnavailable: 0), recreate: false,
                                                    new: rs("new", 8, desired: 20, max: 21),
                                                    old: [rs("old", 12, age: 100, desired: 20, max: 21)], statusReplicas: 20)
        #expect(down.map(\.to).reduce(0, +) == 11)
        #expect(down.first?.name == "old")
        // One active ReplicaSet takes the replicas; a saturated new one sends the old to 0.
        #expect(RolloutPlanner.proportionalScale(bounds, recreate: false, new: rs("new", 10), old: [rs("old", 0)], statusReplicas: 10)
            == [ScaleStep(name: "new", from: 10, to: 20)])
        #expect(RolloutPlanner.proportionalScale(bounds, recreate: false, new: nil, old: [rs("a", 0, age: 10), rs("b", 0, age: 5)],
                                                 statusReplicas: 0) == [ScaleStep(name: "b", from: 0, to: 20)])
        #expect(RolloutPlanner.proportionalScale(bounds, recreate: false, new: rs("new", 20, desired: 20), old: [rs("old", 2)],
                                                 statusReplicas: 22) == [ScaleStep(name: "old", from: 2, to: 0)])
        #expect(RolloutPlanner.isScalingEvent(bounds, all: [rs("new", 5, desired: 10)]))
        #expect(!RolloutPlanner.isScalingEvent(bounds, all: [rs("new", 5, desired: 20), rs("old", 0, desired: 3)]))
    }

    @Test("History cleanup deletes the lowest revisions beyond the limit, only empty and observed ones")
    func history() {
        var busy = rs("r2", 0, revision: 2)
        busy.currentReplicas = 1
        var deleting = rs("r0", 0, revision: 0)
        deleting.isDeleting = true
        let old = [rs("r4", 0, revision: 4), rs("r1", 0, revision: 1), busy, rs("r3", 0, revision: 3), deleting]
        #expect(RolloutPlanner.historyToDelete(old: old, limit: 1) == ["r1", "r3"])
        #expect(RolloutPlanner.historyToDelete(old: old, limit: 0) == ["r1", "r3", "r4"])
        #expect(RolloutPlanner.historyToDelete(old: old, limit: 10).isEmpty)
        #expect(RolloutPlanner.historyToDelete(old: old, limit: nil).isEmpty)
    }
}
