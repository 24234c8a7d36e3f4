import APIModel
import ControllerRuntime
import Foundation
import Testing

@Suite("Event correlator")
struct EventCorrelatorTests {
    private func event(_ reason: String, _ message: String, object: String = "p1") -> Event {
        Event(metadata: ObjectMeta(name: "\(object).1", namespace: "default"), count: 1,
              involvedObject: ObjectReference(kind: "Pod", apiVersion: "v1", name: object, namespace: "default", uid: object),
              message: message, reason: reason, source: EventSource(component: "default-scheduler"), type: "Warning")
    }

    @Test("A repeated event bumps the stored one's count")
    func deduplicates() {
        var correlator = EventCorrelator()
        let now = Date()
        guard case .create(let first) = correlator.observe(event("FailedScheduling", "0/1 nodes"), now: now) else {
            Issue.record("first event not created")
            return
        }
        correlator.created(first)
        #expect(correlator.observe(event("FailedScheduling", "0/1 nodes"), now: now + 1)
                == .bump(namespace: "default", name: "p1.1", count: 2, lastTimestamp: Time(now + 1), message: "0/1 nodes"))
        #expect(correlator.observe(event("FailedScheduling", "0/1 nodes"), now: now + 2)
                == .bump(namespace: "default", name: "p1.1", count: 3, lastTimestamp: Time(now + 2), message: "0/1 nodes"))
        // Another message, reason or object is another event.
        if case .create = correlator.observe(event("FailedScheduling", "0/2 nodes"), now: now) {} else { Issue.record("message") }
        if case .create = correlator.observe(event("Scheduled", "0/1 nodes"), now: now) {} else { Issue.record("reason") }
        if case .create = correlator.observe(event("FailedScheduling", "0/1 nodes", object: "p2"), now: now) {} else {
            Issue.record("object")
        }
    }

    @Test("Many different messages with one reason are combined into one event")
    func aggregates() {
        var correlator = EventCorrelator()
        let now = Date()
        var last: EventCorrelator.Action = .drop
        for i in 0..<12 {
            last = correlator.observe(event("BackOff", "message \(i)"), now: now)
            if case .create(let created) = last { correlator.created(created) }
        }
        guard case .bump(_, _, let count, _, let message) = last else {
            Issue.record("12th event not combined: \(last)")
            return
        }
        #expect(count == 2)
        #expect(message == "(combined from similar events): message 11")
    }

    @Test("More than 25 events about one object in a burst are dropped; tokens come back over time")
    func spamFilter() {
        var correlator = EventCorrelator()
        let now = Date()
        var dropped = 0
        for i in 0..<30 where correlator.observe(event("R\(i)", "m"), now: now) == .drop { dropped += 1 }
        #expect(dropped == 5)
        #expect(correlator.observe(event("Later", "m"), now: now + 301) != .drop)
    }
}
