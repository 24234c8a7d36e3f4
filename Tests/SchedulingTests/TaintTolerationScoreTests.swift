import Testing
import APIModel
@testable import Scheduling

@Suite struct TaintTolerationScoreTests {
    let cache = makeCache(nodes: [
        makeNode("n1"),
        makeNode("n2", taints: [taint("a", "1", "PreferNoSchedule")]),
        makeNode("n3", taints: [taint("a", "1", "PreferNoSchedule"), taint("b", "2", "PreferNoSchedule"),
                                taint("c", "3", "NoSchedule")]),
    ])

    @Test func fewerIntolerablePreferNoScheduleTaintsIsBetter() {
        #expect(TaintTolerationScore.scores(for: PodToSchedule(makePod("p")), candidates: [0, 1, 2], in: cache)
            == [100, 50, 0])
    }

    @Test func onlyEmptyOrPreferNoScheduleTolerationsCount() {
        let tolerant = PodToSchedule(makePod("p") { spec in
            spec.tolerations = [Toleration(effect: "PreferNoSchedule", key: "a", operator: "Exists"),
                                Toleration(effect: "NoSchedule", key: "b", operator: "Exists")]
        })
        // n2: 0, n3: 1 (b is tolerated only for NoSchedule) → 100, 100, 0.
        #expect(TaintTolerationScore.scores(for: tolerant, candidates: [0, 1, 2], in: cache) == [100, 100, 0])
    }
}
