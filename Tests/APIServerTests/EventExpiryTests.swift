import APIModel
import Foundation
import Testing
@testable import APIServer

@Suite("Event expiry")
struct EventExpiryTests {
    static let events = "/api/v1/namespaces/default/events"

    private func event(_ name: String, last: String) -> String {
        #"{"metadata":{"name":"\#(name)"},"involvedObject":{"kind":"Pod","name":"p","namespace":"default"},"reason":"Test","message":"m","type":"Normal","count":1,"firstTimestamp":"\#(last)","lastTimestamp":"\#(last)"}"#
    }

    @Test("Events whose last write is older than the TTL are deleted; newer ones stay")
    func expiry() async throws {
        try await TestAPI.with { api async throws in
            let now = Date()
            let old = Time(now.addingTimeInterval(-7200)).description
            let recent = Time(now.addingTimeInterval(-60)).description
            try await api.create(Self.events, event("old", last: old))
            try await api.create(Self.events, event("recent", last: recent))
            try await api.cache.waitUntilFresh()
            // The creation timestamp counts as a write too, so sweep as if two hours had passed since then.
            let expiry = EventExpiry(store: api.store, cache: api.cache, ttl: .seconds(3600), interval: .seconds(60),
                                     logger: api.logger)
            await expiry.sweep(now: now)
            #expect(try await api.get(Self.events + "/old").status == 200, "created just now: not expired yet")
            await expiry.sweep(now: now.addingTimeInterval(3700))
            #expect(try await api.get(Self.events + "/old").status == 404)
            #expect(try await api.get(Self.events + "/recent").status == 404)

            try await api.create(Self.events, event("fresh", last: Time(now).description))
            try await api.cache.waitUntilFresh()
            await expiry.sweep(now: now.addingTimeInterval(1800))
            #expect(try await api.get(Self.events + "/fresh").status == 200)
        }
    }

    @Test("The last write is the newest of the event's timestamps")
    func lastWrite() throws {
        var event = Event()
        event.lastTimestamp = Time(secondsSinceEpoch: 100)
        event.metadata = ObjectMeta(creationTimestamp: Time(secondsSinceEpoch: 50))
        event.eventTime = MicroTime(microsecondsSinceEpoch: 200_000_000)
        #expect(EventExpiry.lastWrite(event) == Date(timeIntervalSince1970: 200))
    }
}
