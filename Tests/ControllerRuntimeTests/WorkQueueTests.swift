import ControllerRuntime
import Foundation
import Testing

@Suite("Work queue")
struct WorkQueueTests {
    @Test("Keys are deduplicated while queued and handed out in order")
    func dedupe() async {
        let queue = WorkQueue<String>()
        queue.add("a")
        queue.add("b")
        queue.add("a")
        #expect(queue.count == 2)
        #expect(await queue.next() == "a")
        #expect(await queue.next() == "b")
    }

    @Test("A key added while it is processed comes back after done, not before")
    func dirtyWhileProcessing() async {
        let queue = WorkQueue<String>()
        queue.add("a")
        let key = await queue.next()
        queue.add("a")
        #expect(queue.count == 0)
        queue.done(key!)
        #expect(queue.count == 1)
        #expect(await queue.next() == "a")
    }

    @Test("Delayed and rate-limited keys arrive once due; forget resets the failures")
    func delays() async {
        let queue = WorkQueue<String>()
        let timer = Task { await queue.run() }
        defer { timer.cancel() }
        let start = ContinuousClock.now
        queue.add("late", after: .milliseconds(50))
        queue.add("soon", after: .milliseconds(10))
        #expect(await queue.next() == "soon")
        #expect(await queue.next() == "late")
        #expect(ContinuousClock.now - start >= .milliseconds(50))
        queue.done("soon")
        queue.done("late")
        queue.addRateLimited("x")
        queue.addRateLimited("x")
        #expect(queue.failures("x") == 2)
        #expect(await queue.next() == "x")
        queue.forget("x")
        #expect(queue.failures("x") == 0)
    }

    @Test("Shutting down wakes waiting workers with nil")
    func shutdown() async {
        let queue = WorkQueue<String>()
        async let waiting = queue.next()
        try? await Task.sleep(for: .milliseconds(10))
        queue.shutDown()
        #expect(await waiting == nil)
    }
}
