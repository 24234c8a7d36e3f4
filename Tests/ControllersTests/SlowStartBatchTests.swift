@testable import Controllers
import Synchronization
import Testing

@Suite("Slow-start batches")
struct SlowStartBatchTests {
    private struct Refused: Error {}

    @Test("Every call runs when none fails", arguments: [0, 1, 3, 7, 10])
    func allRun(total: Int) async {
        let calls = Atomic<Int>(0)
        let (successes, error) = await slowStartBatch(total: total) { calls.add(1, ordering: .relaxed) }
        #expect(successes == total)
        #expect(error == nil)
        #expect(calls.load(ordering: .relaxed) == total)
    }

    @Test("A batch with a failure is the last; the calls of that batch that succeeded count")
    func stopsAfterFailure() async {
        let calls = Atomic<Int>(0)
        // Calls 1 (batch 1), 2–3 (batch 2), 4–7 (batch 3): the fifth call fails, so batch 3 is the last.
        let (successes, error) = await slowStartBatch(total: 20) {
            let call = calls.add(1, ordering: .sequentiallyConsistent).newValue
            if call == 5 { throw Refused() }
        }
        #expect(error is Refused)
        #expect(calls.load(ordering: .sequentiallyConsistent) == 7)
        #expect(successes == 6)
    }

    @Test("The first batch failing stops after one call")
    func firstFails() async {
        let calls = Atomic<Int>(0)
        let (successes, error) = await slowStartBatch(total: 500) {
            calls.add(1, ordering: .relaxed)
            throw Refused()
        }
        #expect(successes == 0 && error != nil)
        #expect(calls.load(ordering: .relaxed) == 1)
    }
}
